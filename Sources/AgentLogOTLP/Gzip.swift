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

    /// The bytes `compressed` inflates to, at most `limit` of them. Concatenated gzip members
    /// are read one after the other and zero padding after the last is allowed; any other
    /// trailing bytes are refused (where `gunzip` would only warn).
    static func inflate(_ compressed: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        // zlib checks that its stream stays at one address between calls: allocate it.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard agentlog_inflate_init_gzip(stream) == Z_OK else { throw .malformed("zlib could not start") }
        defer { inflateEnd(stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var consumed = 0
        while true {
            let (status, produced, used) = compressed.withUnsafeBufferPointer { input in
                chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + consumed })
                    stream.pointee.avail_in = uInt(input.count - consumed)
                    stream.pointee.next_out = buffer.baseAddress
                    stream.pointee.avail_out = uInt(buffer.count)
                    let before = stream.pointee.avail_in
                    let code = CZlib.inflate(stream, Z_NO_FLUSH)
                    return (code, buffer.count - Int(stream.pointee.avail_out), Int(before - stream.pointee.avail_in))
                }
            }
            consumed += used
            if output.count + produced > limit { throw .tooLarge }
            output.append(contentsOf: chunk[0..<produced])
            switch status {
            case Z_STREAM_END:
                if consumed == compressed.count || compressed[consumed...].allSatisfy({ $0 == 0 }) { return output }
                guard inflateReset(stream) == Z_OK else { throw .malformed("zlib could not read the next member") }
            case Z_OK, Z_BUF_ERROR:
                // No progress with output room to spare: the stream ends early.
                if used == 0, produced == 0 { throw .malformed("the gzip stream ends early") }
            default:
                throw .malformed(stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)")
            }
        }
    }
}
