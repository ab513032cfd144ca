import AgentLogSync
import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal and redrawn at most
/// ten times a second.
final class ProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(enabled: Bool = CommandContext.current.standardError.isTerminal) { self.enabled = enabled }

    func update(_ progress: SyncProgress) {
        guard enabled, progress.bytesTotal > 1 << 20 else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let fraction = min(1, Double(progress.bytesDone) / Double(max(1, progress.bytesTotal)))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(format: "\r%@ %3d%%  %.1f/%.1f MB  %d/%d files", bar, Int(fraction * 100),
                          Double(progress.bytesDone) / 1e6, Double(progress.bytesTotal) / 1e6,
                          progress.filesDone, progress.filesTotal)
        CommandContext.current.standardError.write(line)
        drawn = true
    }

    /// Draws `label`, a bar and `done`/`total` (rows, items: anything counted).
    func update(label: String, done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let fraction = min(1, Double(done) / Double(total))
        let filled = Int(fraction * 30)
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 30 - filled)
        CommandContext.current.standardError.write("\r\(label) \(bar) \(Int(fraction * 100))%  \(done)/\(total)")
        drawn = true
    }

    /// Clears the bar before the summary is printed.
    func finish() {
        guard enabled, drawn else { return }
        CommandContext.current.standardError.write("\r" + String(repeating: " ", count: 80) + "\r")
    }
}
