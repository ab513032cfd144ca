/// 64-bit FNV-1a: the cheap, stable hash agentlog stores — of a source file's first bytes (to
/// tell a replaced file from an appended one) and of an event's payload (to collapse a double
/// delivery). It lives in this module, which every other one depends on, so that the hook
/// (without Foundation), the sync and the store hash alike.
///
/// ```swift
/// let hash = FNV1a.hash(Array("payload".utf8))
/// ```
public enum FNV1a {
    /// The 64-bit FNV-1a hash of `bytes`.
    @inlinable
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
