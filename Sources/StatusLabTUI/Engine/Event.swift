/// A key as screens see it, whatever the terminal sent.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    case ctrl(Character)
    case up, down, left, right
    case enter, escape, tab, backTab, backspace, delete
    case home, end, pageUp, pageDown
    case function(Int)

    /// How the key is written in help: "↑", "Enter", "^C", "/".
    public var description: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "^" + String(c).uppercased()
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .backspace: "Bksp"
        case .delete: "Del"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .function(let n): "F\(n)"
        }
    }
}

/// Everything that happens reaches the app as one of these, on one queue.
public indirect enum Event: Sendable {
    case key(Key)
    case resize(Size)
    /// A regular tick (about once a second) for clocks and timeouts.
    case tick
    /// A result of background work (an effect), or a message from a background service.
    case message(any Sendable)
    /// SIGTERM, SIGHUP or SIGINT from outside: leave now, cleanly.
    case terminate(signal: Int32)
    /// The result of an effect, for the screen that started it (`origin`), which receives
    /// `event` whether or not it is on top; dropped if that screen has gone.
    case routed(origin: Int, event: Event)
}
