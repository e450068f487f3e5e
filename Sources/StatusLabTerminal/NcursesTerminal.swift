import CNcursesw
import Foundation
import Glibc
import StatusLabTUI

/// The ncurses backend: the only Swift code that calls curses. It copies changed cells to the
/// terminal, turns wide-character input into `Key`s, and reports resizes and signals.
public final class NcursesTerminal: TerminalBackend {
    public enum StartError: Error, CustomStringConvertible {
        case notATerminal
        case dumbTerminal

        public var description: String {
            switch self {
            case .notATerminal:
                "statuslab: the full-screen interface needs a terminal (stdin and stdout must be a TTY).\n"
                    + "Use the plain commands instead: statuslab codes, statuslab explain <code|words>, statuslab quiz --plain, statuslab flow --plain, statuslab --help."
            case .dumbTerminal:
                "statuslab: TERM=\(String(cString: getenv("TERM"))) cannot draw a full-screen interface.\n"
                    + "Use the plain commands instead: statuslab codes, statuslab explain <code|words>, statuslab quiz --plain, statuslab flow --plain, statuslab --help."
            }
        }
    }

    public let unicode: Bool
    public let color: Bool
    private var pairs: [Int: Int16] = [:]
    /// Keys read ahead: what followed a lone Esc (Alt and a key).
    private var pending: [Key] = []
    /// Events ncurses decoded while an escape sequence was being read: given out next.
    private var pendingEvents: [Event] = []
    private var started = false

    /// Refuses before touching the terminal when there is none (or it cannot draw), so the
    /// input loop never spins on a closed stdin.
    public init(allowColor: Bool, mouse: Bool = true) throws(StartError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        guard !term.isEmpty, term != "dumb", term != "unknown" else { throw .dumbTerminal }
        unicode = sl_setup_locale() == 1
        sl_install_signal_handlers()
        color = sl_start(allowColor ? 1 : 0) == 1
        // Terminals without mouse reporting simply never send any; keys work the same.
        if mouse { _ = sl_enable_mouse() }
        started = true
    }

    /// Restores the terminal. Safe to call more than once.
    public func stop() {
        guard started else { return }
        started = false
        sl_stop()
    }

    deinit { stop() }

    public var size: Size { Size(width: Int(sl_cols()), height: Int(sl_lines())) }

    public func draw(_ changes: [CellChange], full: Bool) {
        if full { sl_clear() }
        for change in changes {
            let cell = change.cell
            var symbol = cell.symbol
            if !unicode { symbol = Self.asciiFallback(symbol) }
            var scalars = symbol.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
            scalars.append(0)
            let style = fitted(cell.style)
            sl_put(Int32(change.y), Int32(change.x), scalars, Int32(style.attributes.rawValue), pair(for: style))
        }
        sl_refresh()
    }

    /// With fewer than 16 colours, bright black (muted text, frames) would be black on a dark
    /// background: it becomes the default colour, dimmed; other bright colours become their
    /// base colour in bold.
    private func fitted(_ style: Style) -> Style {
        guard color, sl_colors() < 16 else { return style }
        var fitted = style
        if fitted.foreground == .brightBlack {
            fitted.foreground = .default
            fitted.attributes.insert(.dim)
        } else if fitted.foreground.rawValue >= 8 {
            fitted.foreground = Color(rawValue: fitted.foreground.rawValue - 8)!
            fitted.attributes.insert(.bold)
        }
        if fitted.background == .brightBlack { fitted.background = .black }
        return fitted
    }

    private func pair(for style: Style) -> Int16 {
        guard color, style.foreground != .default || style.background != .default else { return 0 }
        let colors = Int(sl_colors())
        func terminalColor(_ c: Color) -> Int16 {
            if c == .default { return -1 }
            // Without 16 colours the bright ones fall back to their base colour.
            return Int16(colors >= 16 ? c.rawValue : c.rawValue % 8)
        }
        let key = (style.foreground.rawValue + 1) * 32 + style.background.rawValue + 1
        if let existing = pairs[key] { return existing }
        let number = Int16(pairs.count + 1)
        sl_init_pair(number, terminalColor(style.foreground), terminalColor(style.background))
        pairs[key] = number
        return number
    }

    public func nextEvent(timeoutMilliseconds: Int, wake: Int32?) -> Event? {
        let signal = sl_take_signal()
        if signal != 0 { return .terminate(signal: signal) }
        // What ncurses has read already comes first; then wait for the keyboard, a posted
        // event (`wake`) or the time, whichever is first.
        if !pendingEvents.isEmpty { return pendingEvents.removeFirst() }
        if !pending.isEmpty { return .key(pending.removeFirst()) }
        if let key = readKey(timeoutMilliseconds: 0) { return key }
        switch sl_wait(wake ?? -1, Int32(timeoutMilliseconds)) {
        case 1: return readKey(timeoutMilliseconds: 25)  // time for an escape sequence to arrive whole
        case 2: return nil
        default:
            // A signal cut the wait short: a resize (ncurses turns it into KEY_RESIZE) or a stop.
            let late = sl_take_signal()
            return late != 0 ? .terminate(signal: late) : readKey(timeoutMilliseconds: 0)
        }
    }

    private func readKey(timeoutMilliseconds: Int) -> Event? {
        var code: UInt32 = 0
        switch sl_read_key(Int32(timeoutMilliseconds), &code) {
        case 1:
            if code == 27 { return escape() }
            return Self.characterKey(code).map(Event.key)
        case 2: return functionEvent(Int32(code))
        default: return nil
        }
    }

    /// What a code ncurses decoded itself means: a resize, the mouse, or a key.
    private func functionEvent(_ code: Int32) -> Event? {
        if code == sl_key_resize() { return .resize(size) }
        if code == sl_key_mouse() {
            var y: Int32 = 0, x: Int32 = 0
            switch sl_get_mouse(&y, &x) {
            case 1: return .mouse(Mouse(.click, x: Int(x), y: Int(y)))
            case 2: return .mouse(Mouse(.wheelUp, x: Int(x), y: Int(y)))
            case 3: return .mouse(Mouse(.wheelDown, x: Int(x), y: Int(y)))
            default: return nil
            }
        }
        return Self.functionKey(code).map(Event.key)
    }

    /// An Esc: alone, or the start of a sequence ncurses has no entry for. What follows is read
    /// (it arrives with the Esc, or within a few milliseconds) until `EscapeSequence` says it
    /// is whole; an unknown sequence is dropped rather than read as Esc.
    private func escape() -> Event? {
        var after: [Character] = []
        while true {
            var code: UInt32 = 0
            let read = sl_read_key(after.isEmpty ? 10 : 5, &code)
            guard read == 1, let scalar = Unicode.Scalar(code) else {
                // Something ncurses decoded came next (a resize right after an Esc): it is
                // kept for the next call, not lost with the escape.
                if read == 2, let event = functionEvent(Int32(code)) { pendingEvents.append(event) }
                return after.isEmpty ? .key(.escape) : nil
            }
            after.append(Character(scalar))
            switch EscapeSequence.read(after) {
            case .incomplete: continue
            case .complete(let key): return key.map(Event.key)
            case .notASequence:
                pending += after.compactMap { $0.unicodeScalars.first.flatMap { Self.characterKey($0.value) } }
                return .key(.escape)
            }
        }
    }

    /// OSC 52: terminals that allow it (xterm, kitty, iTerm2, tmux with set-clipboard) put the
    /// text on the clipboard; others ignore the sequence.
    public func copyToClipboard(_ text: String) {
        let sequence = "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
        sequence.withCString { sl_write_raw($0, Int32(strlen($0))) }
    }

    public func suspend() {
        sl_suspend()
    }

    static func characterKey(_ code: UInt32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(code + 96)!))
        case 0..<32: return nil
        default: return Unicode.Scalar(code).map { .char(Character($0)) }
        }
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BTAB: return .backTab
        case KEY_DC: return .delete
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case sl_key_f1()..<(sl_key_f1() + 12): return .function(Int(code - sl_key_f1()) + 1)
        default: return nil
        }
    }

    /// In a non-UTF-8 locale only ASCII can be drawn: common symbols get a stand-in.
    static func asciiFallback(_ symbol: String) -> String {
        guard !symbol.unicodeScalars.allSatisfy(\.isASCII) else { return symbol }
        switch symbol {
        case "—", "–", "─": return "-"
        case "‘", "’": return "'"
        case "“", "”": return "\""
        case "…": return "."
        case "•", "·": return "*"
        case "§": return "S"
        case "→", "›": return ">"
        case "←": return "<"
        case "│": return "|"
        case "█": return "#"
        default: return "?"
        }
    }
}
