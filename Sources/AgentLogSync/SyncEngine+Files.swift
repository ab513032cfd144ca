import AgentLogJSON
import AgentLogIngest
import AgentLogDatabase
import AgentLogHistory
import Foundation

/// A reader of one transcript's lines, in order, into record batches.
protocol TranscriptReading {
    mutating func add(line: UnsafeRawBufferPointer, number: Int, offset: Int64, to batch: inout RecordBatch)
    /// Adds anything held back across lines to `batch` before it goes to the store.
    mutating func endBatch(_ batch: inout RecordBatch)
}

extension TranscriptReading {
    mutating func endBatch(_ batch: inout RecordBatch) {}
}

extension ClaudeTranscriptReader: TranscriptReading {}
extension CodexTranscriptReader: TranscriptReading {}
extension GeminiSessionReader: TranscriptReading {}

/// What a subagent's `agent-<id>.meta.json` says, and the source file it came from.
struct SubagentMeta {
    var fileId: Int64
    var type: String?
    var description: String?
}

extension SyncEngine {
    /// How many leading bytes the prefix hash covers.
    static let prefixLength = 4096

    /// Reads the new complete lines of one transcript, one block (one transaction) at a time.
    func readTranscript(_ path: String, agent: AgentKind, state: SourceFileState, fingerprint: FileFingerprint,
                        metas: [String: SubagentMeta], emit: (IngestItem) throws -> Void) throws -> FileSyncResult {
        let file = try ReadableFile(path: path)
        var reset = false
        if state.offset > 0 {
            if fingerprint.inode != state.inode || fingerprint.device != state.device || fingerprint.size < state.offset {
                reset = true
            } else if let hash = state.prefixHash {
                reset = try fnv1a(file.prefix(min(Self.prefixLength, Int(state.offset)))) != hash
            }
        }
        var offset = reset ? 0 : state.offset
        var lineNumber = reset ? 0 : state.lines
        let metaPath = String(path.dropLast(".jsonl".count)) + ".meta.json"
        let meta = metas[metaPath]
        var reader: any TranscriptReading
        switch agent {
        case .codex:
            // A rollout names its session and model once; resuming mid-file takes them from the store.
            let context = offset > 0 ? try store.resumeContext(ofFile: state.id) : nil
            reader = CodexTranscriptReader(sessionId: context?.sessionId, model: context?.model)
        case .gemini:
            let context = offset > 0 ? try store.resumeContext(ofFile: state.id) : nil
            reader = GeminiSessionReader(sessionId: context?.sessionId)
        case .claude:
            var claude = ClaudeTranscriptReader(fileName: (path as NSString).lastPathComponent)
            if let meta { claude.agentMeta = (meta.type, meta.description) }
            reader = claude
        }

        var result = FileSyncResult()
        let remaining = max(0, Int(fingerprint.size - offset))
        var buffer = [UInt8](unsafeUninitializedCapacity: min(blockSize, remaining + 4096)) { $1 = $0.count }
        var filled = 0
        var firstBatch = true
        var atEnd = false
        while !atEnd {
            if buffer.count - filled < 4096 {
                buffer.append(contentsOf: repeatElement(0, count: min(max(blockSize, buffer.count), 64 << 20)))
            }
            let read = try file.read(into: &buffer, at: filled, count: buffer.count - filled, offset: offset + Int64(filled))
            atEnd = read == 0
            filled += read
            var batch = RecordBatch(agent: agent)
            let consumed = splitLines(buffer, filled: filled, offset: offset, lineNumber: &lineNumber) { line, number, lineOffset in
                if line.count > maxLineLength {
                    batch.lineCount += 1
                    batch.rejected.append(RejectedLine(line: number, byteOffset: lineOffset,
                                                       reason: "line of \(line.count) bytes is longer than the \(maxLineLength >> 20) MB limit"))
                } else {
                    reader.add(line: line, number: number, offset: lineOffset, to: &batch)
                }
            }
            guard consumed > 0 || atEnd else { continue }  // one long line: read more of it
            reader.endBatch(&batch)
            let newOffset = offset + Int64(consumed)
            let position = FilePosition(
                fileId: state.id, device: fingerprint.device, inode: fingerprint.inode,
                size: newOffset + Int64(filled - consumed), mtimeNs: fingerprint.mtimeNs, offset: newOffset,
                lines: lineNumber, prefixHash: newOffset > 0 ? fnv1a(try file.prefix(min(Self.prefixLength, Int(newOffset)))) : nil,
                reset: reset && firstBatch)
            try emit(IngestItem(batch: batch, position: position,
                                chunks: [RawChunk(offset: offset, bytes: Array(buffer[0..<consumed]))],
                                tail: atEnd ? Array(buffer[consumed..<filled]) : [],
                                relatedFiles: meta.map { [$0.fileId] } ?? []))
            firstBatch = false
            result.bytes += Int64(consumed) + (atEnd ? Int64(filled - consumed) : 0)
            if atEnd { result.pendingBytes = Int64(filled - consumed) }
            result.lines += batch.lineCount
            result.skipped += batch.skippedCount
            result.rejected += batch.rejected
            if consumed > 0 {
                buffer.withUnsafeMutableBytes { bytes in
                    _ = memmove(bytes.baseAddress!, bytes.baseAddress! + consumed, filled - consumed)
                }
                filled -= consumed
                offset = newOffset
            }
        }
        return result
    }

    /// Calls `body` for every complete line in `buffer[0..<filled]` and returns the number of
    /// bytes consumed (up to and including the last newline).
    private func splitLines(_ buffer: [UInt8], filled: Int, offset: Int64, lineNumber: inout Int,
                            _ body: (UnsafeRawBufferPointer, Int, Int64) -> Void) -> Int {
        buffer.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            var start = 0
            while start < filled, let newline = memchr(base + start, 0x0A, filled - start) {
                let end = UnsafeRawPointer(newline) - base
                lineNumber += 1
                body(UnsafeRawBufferPointer(start: base + start, count: end - start), lineNumber, offset + Int64(start))
                start = end + 1
            }
            return start
        }
    }

    /// Reads a Gemini CLI session document whole (the CLI rewrites it in place) and archives this
    /// version of it; messages already stored are matched by id, so only new ones are added.
    func readDocument(_ path: String, state: SourceFileState, fingerprint: FileFingerprint,
                      emit: (IngestItem) throws -> Void) throws -> FileSyncResult {
        let file = try ReadableFile(path: path)
        let limit = 256 << 20
        let bytes = try file.prefix(Int(min(fingerprint.size, Int64(limit))) + 1)
        var batch = RecordBatch(agent: .gemini)
        batch.lineCount = 1
        if bytes.count > limit {
            batch.rejected.append(RejectedLine(line: 1, byteOffset: 0, reason: "session document larger than \(limit >> 20) MB"))
        } else if let reason = bytes.withUnsafeBytes({ GeminiSessionReader.readDocument($0, into: &batch) }) {
            batch.rejected.append(RejectedLine(line: 1, byteOffset: 0, reason: reason))
        }
        let position = FilePosition(fileId: state.id, device: fingerprint.device, inode: fingerprint.inode,
                                    size: Int64(bytes.count), mtimeNs: fingerprint.mtimeNs, offset: Int64(bytes.count),
                                    lines: 1, prefixHash: fnv1a(Array(bytes.prefix(Self.prefixLength))),
                                    reset: state.offset > 0)
        try emit(IngestItem(batch: batch, position: position, chunks: [RawChunk(offset: 0, bytes: bytes)], tail: []))
        var result = FileSyncResult()
        result.bytes = Int64(bytes.count)
        result.lines = 1
        result.rejected = batch.rejected
        return result
    }

    /// Reads a subagent's `agent-<id>.meta.json` (agent type and description) whole, and archives it.
    func readMeta(_ path: String, state: SourceFileState, fingerprint: FileFingerprint,
                  metas: inout [String: SubagentMeta], emit: (IngestItem) throws -> Void) throws -> FileSyncResult {
        let file = try ReadableFile(path: path)
        let bytes = try file.prefix(Int(min(fingerprint.size, 1 << 20)) + 1)
        var batch = RecordBatch(agent: .claude)
        batch.lineCount = 1
        var meta = SubagentMeta(fileId: state.id)
        let parsed: Bool = bytes.withUnsafeBytes { raw in
            let json = JSONScanner(raw)
            var members: [JSONScanner.Member] = []
            guard (try? json.scanObject(into: &members)) != nil else { return false }
            meta.type = json.value("agentType", in: members).flatMap { json.string($0, maxBytes: 256) }
            meta.description = json.value("description", in: members).flatMap { json.string($0, maxBytes: 1024) }
            return true
        }
        metas[path] = meta
        // The meta only describes the subagent its transcript (read after it) belongs to; sessions
        // come from the lines, never from folder names.
        if !parsed {
            batch.rejected.append(RejectedLine(line: 1, byteOffset: 0, reason: "subagent meta file is not a JSON object"))
        }
        let position = FilePosition(fileId: state.id, device: fingerprint.device, inode: fingerprint.inode,
                                    size: Int64(bytes.count), mtimeNs: fingerprint.mtimeNs, offset: Int64(bytes.count),
                                    lines: 1, prefixHash: fnv1a(Array(bytes.prefix(Self.prefixLength))),
                                    reset: state.offset > 0)
        var result = FileSyncResult()
        try emit(IngestItem(batch: batch, position: position, chunks: [RawChunk(offset: 0, bytes: bytes)], tail: []))
        result.bytes = Int64(bytes.count)
        result.lines = 1
        result.rejected = batch.rejected
        return result
    }
}
