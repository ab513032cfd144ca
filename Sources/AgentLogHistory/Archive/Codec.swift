import AgentLogDatabase
import Foundation
internal import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How an archive chunk is compressed. Stored with every chunk, so a database written with one
/// codec stays readable wherever the other is in use.
public enum ArchiveCodec: String, Sendable {
    /// Zstandard (level 1): about 3.5× smaller than transcripts at ~500 MB/s. Loaded at run time
    /// from the system's `libzstd`, which every Debian and most other systems ship.
    case zstd
    /// zlib (deflate): the fallback where libzstd is not installed.
    case zlib

    /// The codec new chunks are written with: zstd where the library is present.
    public static var preferred: ArchiveCodec { ZstdLibrary.shared != nil ? .zstd : .zlib }

    /// Compresses `bytes` with this codec.
    func compress(_ bytes: UnsafeRawBufferPointer) throws(ArchiveError) -> [UInt8] {
        switch self {
        case .zstd:
            guard let zstd = ZstdLibrary.shared else { throw ArchiveError(reason: "libzstd is not available") }
            return try zstd.compress(bytes)
        case .zlib:
            return try Zlib.compress(bytes)
        }
    }

    /// Decompresses `bytes`, which must expand to exactly `rawLength` bytes.
    func decompress(_ bytes: [UInt8], rawLength: Int) throws(ArchiveError) -> [UInt8] {
        switch self {
        case .zstd:
            guard let zstd = ZstdLibrary.shared else {
                throw ArchiveError(reason: "this archive chunk is zstd-compressed and libzstd is not installed")
            }
            return try zstd.decompress(bytes, rawLength: rawLength)
        case .zlib:
            return try Zlib.decompress(bytes, rawLength: rawLength)
        }
    }
}

/// A failure to compress or restore archived bytes.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a phrase that ``description`` wraps in a sentence.
    public var reason: String
    public var description: String { "Archive error: \(reason)." }
}

/// The few functions of libzstd agentlog needs, bound at run time with `dlopen`, so that building
/// needs no zstd headers.
final class ZstdLibrary: Sendable {
    private typealias Bound = @convention(c) (Int) -> Int
    private typealias Compress = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int, Int32) -> Int
    private typealias Decompress = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int) -> Int
    private typealias IsError = @convention(c) (Int) -> UInt32
    private typealias ErrorName = @convention(c) (Int) -> UnsafePointer<CChar>?
    private typealias CreateContext = @convention(c) () -> OpaquePointer?
    private typealias FreeContext = @convention(c) (OpaquePointer?) -> Int
    private typealias SetParameter = @convention(c) (OpaquePointer?, Int32, Int32) -> Int
    private typealias CompressWithContext = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int) -> Int

    /// The advanced API (zstd 1.4 and later), which writes each frame's XXH64 content checksum,
    /// verified by every decompression: how `agentlog db check` knows a chunk's bytes are intact.
    private struct Checksummed: Sendable {
        let create: CreateContext, free: FreeContext, set: SetParameter, compress: CompressWithContext
    }

    private let compressBound: Bound
    private let compressFunction: Compress
    private let decompressFunction: Decompress
    private let isError: IsError
    private let errorName: ErrorName?
    private let checksummed: Checksummed?
    /// `ZSTD_c_compressionLevel` and `ZSTD_c_checksumFlag` (zstd.h, stable since 1.4.0).
    private static let levelParameter: Int32 = 100, checksumParameter: Int32 = 201

    static let shared: ZstdLibrary? = ZstdLibrary()
    /// Level 1: ~4× smaller than transcripts at ~500 MB/s; higher levels cost sync speed for little.
    static let level: Int32 = 1

    private init?() {
        let names = ["libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "/opt/homebrew/lib/libzstd.1.dylib", "/usr/local/lib/libzstd.1.dylib"]
        guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first,
              let bound = dlsym(handle, "ZSTD_compressBound"), let compress = dlsym(handle, "ZSTD_compress"),
              let decompress = dlsym(handle, "ZSTD_decompress"), let isError = dlsym(handle, "ZSTD_isError")
        else { return nil }
        compressBound = unsafeBitCast(bound, to: Bound.self)
        compressFunction = unsafeBitCast(compress, to: Compress.self)
        decompressFunction = unsafeBitCast(decompress, to: Decompress.self)
        self.isError = unsafeBitCast(isError, to: IsError.self)
        errorName = dlsym(handle, "ZSTD_getErrorName").map { unsafeBitCast($0, to: ErrorName.self) }
        if let create = dlsym(handle, "ZSTD_createCCtx"), let free = dlsym(handle, "ZSTD_freeCCtx"),
           let set = dlsym(handle, "ZSTD_CCtx_setParameter"), let compress = dlsym(handle, "ZSTD_compress2") {
            checksummed = Checksummed(
                create: unsafeBitCast(create, to: CreateContext.self), free: unsafeBitCast(free, to: FreeContext.self),
                set: unsafeBitCast(set, to: SetParameter.self), compress: unsafeBitCast(compress, to: CompressWithContext.self))
        } else {
            checksummed = nil
        }
    }

    /// Compresses into `buffer` with a content checksum where the library can, else without.
    private func compress(into buffer: UnsafeMutableRawPointer?, capacity: Int, _ bytes: UnsafeRawBufferPointer) -> Int {
        if let api = checksummed, let context = api.create() {
            defer { _ = api.free(context) }
            if isError(api.set(context, Self.levelParameter, Self.level)) == 0,
               isError(api.set(context, Self.checksumParameter, 1)) == 0 {
                return api.compress(context, buffer, capacity, bytes.baseAddress, bytes.count)
            }
        }
        return compressFunction(buffer, capacity, bytes.baseAddress, bytes.count, Self.level)
    }

    func compress(_ bytes: UnsafeRawBufferPointer) throws(ArchiveError) -> [UInt8] {
        let capacity = compressBound(bytes.count)
        var failed = false
        let out = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            let written = compress(into: buffer.baseAddress, capacity: capacity, bytes)
            failed = isError(written) != 0
            initialized = failed ? 0 : written
        }
        guard !failed else { throw ArchiveError(reason: "zstd compression failed") }
        return out
    }

    func decompress(_ bytes: [UInt8], rawLength: Int) throws(ArchiveError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rawLength)
        let written = out.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { decompressFunction(target.baseAddress, rawLength, $0.baseAddress, $0.count) }
        }
        if isError(written) != 0 {
            let name = errorName?(written).map { String(cString: $0) } ?? "error \(written)"
            throw ArchiveError(reason: "a zstd chunk cannot be restored (\(name))")
        }
        guard written == rawLength else {
            throw ArchiveError(reason: "a zstd chunk restored to \(written) bytes, not its recorded \(rawLength)")
        }
        return out
    }
}

/// zlib one-shot compression.
enum Zlib {
    static func compress(_ bytes: UnsafeRawBufferPointer) throws(ArchiveError) -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(capacity))
        let status = out.withUnsafeMutableBufferPointer { target in
            compress2(target.baseAddress, &capacity, bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(bytes.count), 6)
        }
        guard status == Z_OK else { throw ArchiveError(reason: "zlib compression failed (\(status))") }
        out.removeLast(out.count - Int(capacity))
        return out
    }

    static func decompress(_ bytes: [UInt8], rawLength: Int) throws(ArchiveError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rawLength)
        var length = uLong(rawLength)
        let status = out.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBufferPointer { uncompress(target.baseAddress, &length, $0.baseAddress, uLong($0.count)) }
        }
        guard status == Z_OK, Int(length) == rawLength else {
            throw ArchiveError(reason: "a zlib chunk did not restore to its recorded length (\(status))")
        }
        return out
    }
}
