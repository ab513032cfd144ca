import Mustache

// Key lookup without reflection for the values a page holds hundreds or thousands of: the
// template engine asks for each key by name, and Mirror costs microseconds per lookup, which
// made a long session page take more than 100 ms. Names not listed here are not there (the
// engine then looks in the enclosing context, as it does for a missing stored property).

extension EntryView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "message": message
        case "tool": tool
        case "compaction": compaction
        case "subagentThread": subagentThread
        default: nil
        }
    }
}

extension EntryView.Message: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "uuid": uuid
        case "kind": kind
        case "who": who
        case "time": time
        case "model": model
        case "text": text
        case "thinking": thinking
        case "clipped": clipped
        case "hasModel": hasModel
        case "hasText": hasText
        case "hasThinking": hasThinking
        case "hasClipped": hasClipped
        case "isError": isError
        default: nil
        }
    }
}

extension EntryView.Tool: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "name": self.name
        case "target": target
        case "input": input
        case "output": output
        case "duration": duration
        case "hooks": hooks
        case "hookCount": hookCount
        case "hasHooks": hasHooks
        case "isError": isError
        case "subagent": subagent
        default: nil
        }
    }
}

extension EntryView.Compaction: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "time": time
        case "trigger": trigger
        case "preTokens": preTokens
        case "hasTrigger": hasTrigger
        case "hasPreTokens": hasPreTokens
        default: nil
        }
    }
}

extension EntryView.Thread: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "entries": entries
        default: nil
        }
    }
}

extension SessionPage.Turn: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "index": index
        case "time": time
        case "tokens": tokens
        case "cost": cost
        case "cumulativeCost": cumulativeCost
        case "hasError": hasError
        case "entries": entries
        default: nil
        }
    }
}

extension SessionRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "title": title
        case "project": project
        case "projectPath": projectPath
        case "agent": agent
        case "started": started
        case "startedISO": startedISO
        case "messages": messages
        case "toolCalls": toolCalls
        case "tokens": tokens
        case "cost": cost
        case "hasErrors": hasErrors
        default: nil
        }
    }
}
