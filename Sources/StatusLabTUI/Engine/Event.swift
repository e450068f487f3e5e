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
    /// A click or a wheel turn, at a cell of the whole screen. The app turns it into what was
    /// drawn there: a key, or `clicked(row:)` for a list's row.
    case mouse(Mouse)
    /// A row of the screen's list was clicked (its index among the list's rows): select it
    /// and open it, as Enter would.
    case clicked(row: Int)
    /// A link in the screen's text was clicked (its index in reading order): follow it.
    case clickedLink(Int)
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT from outside: leave now, cleanly.
    case terminate(signal: Int32)
    /// The result of an effect, for the screen that started it (`origin`), which receives
    /// `event` whether or not it is on top; dropped if that screen has gone.
    case routed(origin: Int, event: Event)
}

public struct Mouse: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case click, wheelUp, wheelDown }
    public let kind: Kind
    public let x: Int
    public let y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// What a click on a part of the screen does; recorded by whatever draws that part.
public enum ClickAction: Sendable, Equatable {
    /// As if the key were typed.
    case key(Key)
    /// A list's row, by index.
    case row(Int)
    /// A link of rich text, by its index in reading order.
    case link(Int)
}
