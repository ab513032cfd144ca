import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Single key presses from a terminal: puts it in non-canonical, no-echo mode while alive and
/// restores it on ``restore()`` (call it on every way out).
final class TerminalKeys {
    enum Key: Equatable {
        case character(Character)
        case left, right, up, down, enter, escape, backspace, interrupt
    }

    private var original = termios()
    private var active = false

    /// `nil` when standard input is not a terminal.
    init?() {
        guard isatty(STDIN_FILENO) == 1, tcgetattr(STDIN_FILENO, &original) == 0 else { return nil }
        var raw = original
        // No line buffering, no echo, Ctrl-C as a byte (so the terminal is always restored).
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0 else { return nil }
        active = true
    }

    deinit { restore() }

    func restore() {
        guard active else { return }
        var saved = original
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
        active = false
    }

    /// The next key; `nil` at end of input.
    func next() -> Key? {
        guard let byte = readByte(timeoutMs: -1) else { return nil }
        switch byte {
        case 0x1B:
            // An arrow is ESC [ C; ESC alone is a key of its own.
            guard readByte(timeoutMs: 40) == UInt8(ascii: "[") else { return .escape }
            switch readByte(timeoutMs: 40) {
            case UInt8(ascii: "A"): return .up
            case UInt8(ascii: "B"): return .down
            case UInt8(ascii: "C"): return .right
            case UInt8(ascii: "D"): return .left
            default: return .escape
            }
        case 0x0A, 0x0D: return .enter
        case 0x7F, 0x08: return .backspace
        case 0x03, 0x04: return .interrupt
        default:
            var bytes = [byte]
            // The rest of a UTF-8 character.
            let extra = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : byte >= 0xC0 ? 1 : 0
            for _ in 0..<extra { if let next = readByte(timeoutMs: 40) { bytes.append(next) } }
            return String(decoding: bytes, as: UTF8.self).first.map { .character($0) } ?? .escape
        }
    }

    private func readByte(timeoutMs: Int32) -> UInt8? {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, timeoutMs) > 0 else { return nil }
        var byte: UInt8 = 0
        return read(STDIN_FILENO, &byte, 1) == 1 ? byte : nil
    }
}
