// agentlog-fuzz HARNESS --seconds N [--seed S] [--last-input FILE] [--replay FILE]
//
// Mutation fuzzing of one parser or builder (see Harnesses.swift) for N seconds: seeds from
// ../shared/corpus, each input mutated (Mutator.swift) and run, the properties of the harness
// checked. Before each run the input is copied into --last-input (a file mapped into memory,
// so the copy costs a memcpy), so a crash leaves the input that caused it; Scripts/fuzz.py
// collects it. --replay runs one saved input. Exits 1 when a property fails, printing it.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: agentlog-fuzz HARNESS --seconds N [--seed S] [--last-input FILE] [--replay FILE]\n".utf8))
    exit(2)
}
let scratch = NSTemporaryDirectory() + "agentlog-fuzz-\(getpid())"
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }
let all = try harnesses(scratch: scratch)
guard let harness = all.first(where: { $0.name == arguments[1] }) else {
    FileHandle.standardError.write(Data("unknown harness \(arguments[1]); one of \(all.map(\.name).joined(separator: ", "))\n".utf8))
    exit(2)
}
if let replay = option("--replay") {
    let input = [UInt8](try Data(contentsOf: URL(fileURLWithPath: replay)))
    if let failure = try harness.run(input) { print("FAILED: \(failure)"); exit(1) }
    print("\(harness.name): the input runs cleanly")
    exit(0)
}
let seconds = Double(option("--seconds") ?? "10") ?? 10
var mutator = Mutator(state: UInt64(option("--seed") ?? "") ?? UInt64(Date().timeIntervalSince1970 * 1000))
let seeds = try harness.seeds()
guard !seeds.isEmpty else { print("\(harness.name): no seeds found under \(corpus.path)"); exit(1) }

// The last input, in a shared mapping of a file: what the kernel keeps if this process dies.
let capacity = 4 << 20
let lastInput = option("--last-input") ?? scratch + "/last-input"
let descriptor = open(lastInput, O_RDWR | O_CREAT | O_TRUNC, 0o600)
guard descriptor >= 0, ftruncate(descriptor, off_t(capacity + 8)) == 0,
      let mapped = mmap(nil, capacity + 8, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0), mapped != MAP_FAILED else {
    print("cannot map \(lastInput)")
    exit(1)
}

let started = Date()
var runs = 0
// Seeds first, as they are; then mutations.
for input in seeds + [[]] {
    if let failure = try harness.run(input) { print("FAILED on a seed: \(failure)"); exit(1) }
}
while Date().timeIntervalSince(started) < seconds {
    for _ in 0..<100 {
        let input = mutator.mutate(seeds[mutator.below(seeds.count)], other: seeds[mutator.below(seeds.count)])
        let length = min(input.count, capacity)
        mapped.storeBytes(of: UInt64(length), as: UInt64.self)
        input.withUnsafeBytes { mapped.advanced(by: 8).copyMemory(from: $0.baseAddress!, byteCount: length) }
        if let failure = try harness.run(input) {
            try Data(input).write(to: URL(fileURLWithPath: lastInput + ".failed"))
            print("FAILED after \(runs) runs: \(failure) (input in \(lastInput).failed)")
            exit(1)
        }
        runs += 1
    }
}
mapped.storeBytes(of: UInt64.max, as: UInt64.self)  // a clean end: no crash input
print("\(harness.name): \(runs) inputs in \(Int(Date().timeIntervalSince(started))) s, \(seeds.count) seeds, no failure")
