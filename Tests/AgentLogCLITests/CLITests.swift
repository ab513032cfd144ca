import Testing
@testable import AgentLogCLI

@Suite("CLI placeholder")
struct CLIPlaceholderTests {
    @Test("json output escapes control characters")
    func escapes() {
        #expect(JSONOutput.string("a\"\n\u{1}").text() == #""a\"\n\u0001""#)
    }
}
