import AgentLogDatabase
import Foundation
import Mustache

/// What every dashboard page shares: its title, which tab is current, and the layout's data.
struct PageFrame: Sendable {
    /// The `<title>` and the page's heading.
    var title: String
    /// The navigation tab that is current (`overview`, `sessions`, …).
    var tab: String
    /// The address of the live stream the page's script listens to for changes.
    var liveStream: String
    /// The navigation, with the current tab marked (stored: templates read stored properties).
    let nav: [NavItem]

    init(title: String, tab: String, liveStream: String = "/api/v1/events/stream") {
        self.title = title
        self.tab = tab
        self.liveStream = liveStream
        nav = [("overview", "Overview", "/"), ("sessions", "Sessions", "/sessions"), ("search", "Search", "/search"),
               ("projects", "Projects & runs", "/projects"), ("agents", "Agents & claims", "/agents"), ("settings", "Settings", "/settings")]
            .map { NavItem(id: $0.0, label: $0.1, href: $0.2, current: $0.0 == tab) }
    }
}

/// A navigation tab.
struct NavItem: Sendable {
    var id: String
    var label: String
    var href: String
    var current: Bool
}

/// The dashboard's templates, compiled into the executable, parsed once.
struct DashboardTemplates: Sendable {
    let library: MustacheLibrary

    /// The embedded templates by name (file name without `.mustache`).
    init() throws {
        var library = MustacheLibrary()
        for (name, bytes) in [("layout", PackageResources.layout_mustache), ("overview", PackageResources.overview_mustache),
                              ("sessions", PackageResources.sessions_mustache), ("session", PackageResources.session_mustache),
                              ("sessionTable", PackageResources.sessionTable_mustache),
                              ("entries", PackageResources.entries_mustache), ("search", PackageResources.search_mustache),
                              ("projects", PackageResources.projects_mustache), ("agents", PackageResources.agents_mustache),
                              ("settings", PackageResources.settings_mustache), ("error", PackageResources.error_mustache),
                              ("pair", PackageResources.pair_mustache), ("login", PackageResources.login_mustache)] {
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        self.library = library
    }

    /// `page` rendered with the template `name`.
    func render(_ page: Any, _ name: String) -> String {
        library.render(page, withTemplate: name) ?? "<!doctype html><title>agentlog</title><p>The page \(name) could not be rendered."
    }
}
