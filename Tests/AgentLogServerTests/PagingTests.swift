import AgentLogHistory
import AgentLogStore
import Foundation
import Testing
@testable import AgentLogServer

@Suite("Cursor paging of the sessions API")
struct PagingTests {
    @Test("pages of 5 with nextCursor list every session once, in the listing's order; a bad cursor is a 400")
    func pages() async throws {
        let store = try DemoDatabase.shared.get().store
        let all = try store.sessions(SessionQuery()).map(\.sessionId)
        var seen: [String] = []
        var uri = "/api/v1/sessions?limit=5"
        for _ in 0..<10 {
            let answer = try await get(uri, store)
            #expect(answer.status == 200)
            seen += (answer.json["rows"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            guard let cursor = answer.json["nextCursor"] as? String else { break }
            uri = "/api/v1/sessions?limit=5&cursor=\(cursor)"
        }
        #expect(seen == all)
        let bad = try await get("/api/v1/sessions?cursor=yesterday", store)
        #expect(bad.status == 400 && bad.json["parameter"] as? String == "cursor")
    }
}
