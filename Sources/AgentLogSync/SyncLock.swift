import Foundation

/// An exclusive lock on `<database>.sync.lock`, held while a sync runs; another process's sync
/// waits for it. In-memory stores need none. Released by ``release()`` or when the last
/// reference goes (a ``SyncLook`` hands its lock to the sync that follows it).
final class SyncLock: @unchecked Sendable {
    /// The database it locks (`nil`: in memory).
    let database: String?
    private let lock = NSLock()
    private var descriptor: Int32?

    init(database: String?) throws(SyncError) {
        self.database = database
        guard let database else { return }
        let path = database + ".sync.lock"
        var descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        // A lock file another user made: a lock taken on a read-only descriptor works the same.
        if descriptor < 0 { descriptor = open(path, O_RDONLY | O_CLOEXEC) }
        if descriptor < 0 {
            let reason = String(cString: strerror(errno)).lowercased()
            // No lock file, and a folder this user cannot write: the sync cannot write the
            // database either, which then says so itself. A lock file this user cannot open is an error.
            if access(path, F_OK) != 0 { return }
            throw SyncError.store("Cannot open the lock file \(path): \(reason).")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                throw SyncError.store("Cannot lock \(path): \(String(cString: strerror(errno)).lowercased()).")
            }
        }
        self.descriptor = descriptor
    }

    private var released = false
    private var claimed = false

    /// Takes over a held lock for one sync: `true` for the first caller only (so that two syncs
    /// handed the same look cannot both go on under it).
    func claim() -> Bool {
        lock.withLock {
            guard !released, !claimed else { return false }
            claimed = true
            return true
        }
    }

    /// Releases the lock unless a sync claimed it (that sync releases it when it ends).
    func releaseUnlessClaimed() {
        if lock.withLock({ !claimed }) { release() }
    }

    /// Whether a lock file is locked (there is none for an in-memory store, nor in a folder that
    /// does not exist yet or that this user cannot write).
    var locksFile: Bool { lock.withLock { descriptor != nil } }

    /// Whether the lock is still held (for a database without a lock file: not yet released).
    var isHeld: Bool { lock.withLock { !released } }

    /// Releases the lock; later calls do nothing.
    func release() {
        lock.lock()
        defer { lock.unlock() }
        guard !released else { return }
        released = true
        guard let descriptor else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        self.descriptor = nil
    }

    deinit { release() }
}
