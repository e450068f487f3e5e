import Foundation
import Synchronization
import Glibc

/// Where plain commands write, and whether they may colour it.
enum Output {
    /// NO_COLOR set to anything but the empty string turns colour off (no-color.org).
    static var noColorRequested: Bool {
        guard let value = getenv("NO_COLOR") else { return false }
        return value.pointee != 0
    }

    static var colorStdout: Bool { isatty(STDOUT_FILENO) == 1 && !noColorRequested }

    /// The terminal's width when stdout is one (capped for reading), else $COLUMNS or 80.
    static var width: Int {
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return min(Int(size.ws_col), 100)
        }
        if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), columns > 20 {
            return min(columns, 100)
        }
        return 80
    }

    /// A line from stdin for a plain walk or quiz, after a `> ` prompt when a person types it.
    static func readAnswer() -> String? {
        if isatty(STDIN_FILENO) == 1 { print("> ", terminator: ""); fflush(nil) }
        return Swift.readLine()
    }

    /// Text for a plain walk or quiz, on stdout at once.
    static func write(_ text: String) {
        print(text, terminator: "")
        fflush(nil)
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// Async work from a synchronous command, waited for.
enum Sync {
    static func wait<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let value = await work()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }

    /// Runs `work` and waits for it, `seconds` at most (stopping a server as the program ends).
    static func wait(upTo seconds: Double, _ work: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await work()
            done.signal()
        }
        _ = done.wait(timeout: .now() + seconds)
    }
}
