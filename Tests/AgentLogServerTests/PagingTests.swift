import AgentLogHistory
import AgentLogStore
import AgentLogTestSupport
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

@Suite("A session's turns page by page")
struct TurnPagingTests {
    @Test("from and limit give pages of turns with turnCount and nextFrom; together they are every turn once")
    func turns() async throws {
        let store = try DemoDatabase.shared.get().store
        let summaries = try store.sessions(SessionQuery())
        let busiest = try #require(summaries.max { $0.messages < $1.messages })
        let all = try store.transcript(of: store.resolveSession(busiest.sessionId)).turns().map(\.index)
        #expect(all.count >= 2)
        var seen: [Int] = []
        var from: Int? = 0
        while let start = from {
            let page = try await get("/api/v1/sessions/\(busiest.sessionId)?from=\(start)&limit=1", store)
            #expect(page.status == 200 && page.json["turnCount"] as? Int == all.count)
            seen += (page.json["turns"] as? [[String: Any]] ?? []).compactMap { $0["index"] as? Int }
            from = page.json["nextFrom"] as? Int
        }
        #expect(seen == all)
        let whole = try await get("/api/v1/sessions/\(busiest.sessionId)", store)
        #expect(whole.json["turnCount"] == nil && (whole.json["turns"] as? [Any])?.count == all.count)
        #expect(try await get("/api/v1/sessions/\(busiest.sessionId)?limit=0", store).status == 400)
    }
}
