/// A line diff in unified style (`-` removed, `+` added, two lines of context), for
/// `hooks install --dry-run` and `mcp install --dry-run`. The lines both texts begin and end
/// with are set aside first (a settings change is local, ~/.claude.json can be long); what is
/// left is compared with a plain longest-common-subsequence table.
enum LineDiff {
    static func unified(_ old: String, _ new: String, oldName: String, newName: String) -> String {
        // A file that does not exist yet has no lines, not one empty line.
        let allOld = old.isEmpty ? [] : old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let allNew = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard allOld != allNew else { return "" }
        var prefix = 0
        while prefix < min(allOld.count, allNew.count), allOld[prefix] == allNew[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(allOld.count, allNew.count) - prefix, allOld[allOld.count - 1 - suffix] == allNew[allNew.count - 1 - suffix] { suffix += 1 }
        let context = 2
        let head = max(0, prefix - context), tailOld = allOld.count - max(0, suffix - context), tailNew = allNew.count - max(0, suffix - context)
        let a = Array(allOld[head..<tailOld]), b = Array(allNew[head..<tailNew])
        // lengths[i][j]: the longest common subsequence of a[i...] and b[j...].
        var lengths = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var lines: [(mark: Character, text: String)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                lines.append((" ", a[i])); i += 1; j += 1
            } else if j < b.count, i == a.count || lengths[i][j + 1] >= lengths[i + 1][j] {
                lines.append(("+", b[j])); j += 1
            } else {
                lines.append(("-", a[i])); i += 1
            }
        }
        // Keep changes and two lines around each.
        let changed = lines.indices.filter { lines[$0].mark != " " }
        var keep = Set<Int>()
        for index in changed { for k in max(0, index - 2)...min(lines.count - 1, index + 2) { keep.insert(k) } }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        var previous = -1
        for index in keep.sorted() {
            if index != previous + 1 { out += "@@\n" }
            out += "\(lines[index].mark)\(lines[index].text)\n"
            previous = index
        }
        return out
    }
}
