import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogSync

@Suite("Finding source files")
struct DirectoryWalkerTests {
    /// A tree of `folders` project folders, each with two transcripts, one nested subagent
    /// transcript and a file that is not a transcript; plus a file at the top and a linked folder.
    private func tree(folders: Int, in folder: TemporaryFolder) throws -> (root: String, expected: Set<String>) {
        let root = folder.path
        var expected: Set<String> = []
        func write(_ path: String) throws {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data("{}\n".utf8).write(to: URL(fileURLWithPath: path))
        }
        for index in 0..<folders {
            for name in ["a.jsonl", "b.jsonl", "s/subagents/agent-1.jsonl"] {
                try write("\(root)/p\(index)/\(name)")
                expected.insert("\(root)/p\(index)/\(name)")
            }
            try write("\(root)/p\(index)/notes.txt")
        }
        try write("\(root)/top.jsonl")
        expected.insert("\(root)/top.jsonl")
        try FileManager.default.createSymbolicLink(atPath: root + "/linked", withDestinationPath: root + "/p0")
        return (root, expected)
    }

    @Test("every transcript is found once, in few folders or many, by one thread or several sharing the folders, and linked folders are not followed",
          arguments: [1, 3, 8, 41], [1, 2, 5])
    func walk(folders: Int, threads: Int) throws {
        let folder = try TemporaryFolder()
        let (root, expected) = try tree(folders: folders, in: folder)
        let found = DirectoryWalker.files(under: root, threads: threads) { $0.hasSuffix(".jsonl") }
        #expect(found.count == expected.count)
        #expect(Set(found.map(\.path)) == expected)
        #expect(found.allSatisfy { $0.fingerprint.size == 3 })
    }
}
