/// A failure of the hook handler, with the file or step at fault.
public struct HookError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the file or step.
    public var description: String
    /// An error that says `description`.
    public init(_ description: String) { self.description = description }
}
