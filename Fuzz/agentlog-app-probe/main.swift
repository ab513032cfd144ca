// agentlog-app-probe write DB SESSION      append messages to SESSION until killed, printing the
//                                          number of each one the library has saved (it returned)
// agentlog-app-probe verify DB SESSION N   exit 0 when the session holds messages 1…M, each whole,
//                                          in order, with M ≥ N (nothing saved was lost, nothing
//                                          half-written is visible); else say what differs, exit 1
//
// An app that embeds the library, for Scripts/fault-check.py: it is killed with kill -9 in the
// middle of its writes, and run on a read-only database and a full disk.
import AgentLogStore
import Foundation

/// The text of message `number`: long enough to span pages, and checkable.
func text(_ number: Int) -> String {
    "message \(number): " + String(repeating: "the parser returns an error when the token stream ends early \(number % 97) ", count: 1 + number % 40)
}

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: agentlog-app-probe write|verify DB SESSION [N]\n".utf8))
    exit(2)
}
let (mode, path, id) = (arguments[1], arguments[2], arguments[3])
do {
    let store = try await AgentLogStore.open(path: path)
    switch mode {
    case "write":
        let existing = try await store.loadSession(id: id)
        let session: AppSession
        if let found = existing?.session { session = found } else { session = try await store.createSession(agent: "probe", id: id) }
        var number = existing?.messages.count ?? 0
        let out = FileHandle.standardOutput
        while true {
            number += 1
            _ = try await store.appendMessage(AppMessage(role: number % 2 == 0 ? "assistant" : "user", text: text(number)), to: session)
            out.write(Data("\(number)\n".utf8))  // unbuffered: what is printed was saved
        }
    case "verify":
        let expected = Int(arguments.count > 4 ? arguments[4] : "0") ?? 0
        let messages = try await store.loadSession(id: id)?.messages ?? []
        for (index, message) in messages.enumerated() where message.text != text(index + 1) {
            print("message \(index + 1) is not whole or not in its place: \(message.text.prefix(60))")
            exit(1)
        }
        guard messages.count >= expected else {
            print("\(messages.count) messages, but the app saw \(expected) saved")
            exit(1)
        }
        print("\(messages.count) messages, whole and in order (the app saw \(expected) saved)")
    default:
        FileHandle.standardError.write(Data("unknown mode \(mode)\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("agentlog-app-probe: \(error)\n".utf8))
    exit(1)
}
