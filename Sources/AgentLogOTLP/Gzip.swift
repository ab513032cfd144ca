internal import CZlib

/// Gzip bodies (`Content-Encoding: gzip`), inflated with a cap, so that a small body that expands
/// to gigabytes is refused before it is held in memory.
enum Gzip {
    /// Why a body could not be inflated.
    enum Failure: Error, Equatable {
        /// The bytes are not a whole gzip stream.
        case malformed(String)
        /// They expand to more than the cap.
        case tooLarge
    }

    /// The bytes `compressed` inflates to, at most `limit` of them; concatenated gzip members are
    /// read one after the other, as `gunzip` does.
    static func inflate(_ compressed: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        var stream = z_stream()
        guard agentlog_inflate_init_gzip(&stream) == Z_OK else { throw .malformed("zlib could not start") }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var consumed = 0
        var status: Int32 = Z_OK
        while true {
            let (result, produced, used) = compressed.withUnsafeBufferPointer { input in
                chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + consumed })
                    stream.avail_in = uInt(input.count - consumed)
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    let before = stream.avail_in
                    let code = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (code, buffer.count - Int(stream.avail_out), Int(before - stream.avail_in))
                }
            }
            status = result
            consumed += used
            if output.count + produced > limit { throw .tooLarge }
            output.append(contentsOf: chunk[0..<produced])
            switch status {
            case Z_STREAM_END:
                // Another member may follow; trailing zero bytes (padding) end the body.
                if consumed == compressed.count || compressed[consumed...].allSatisfy({ $0 == 0 }) { return output }
                guard inflateReset(&stream) == Z_OK else { throw .malformed("zlib could not read the next member") }
            case Z_OK:
                if used == 0, produced == 0 { throw .malformed("the gzip stream ends early") }
            case Z_BUF_ERROR:
                if consumed == compressed.count { throw .malformed("the gzip stream ends early") }
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw .malformed(message)
            }
        }
    }
}
