/// What a screen's `handle` learns about the world besides the event.
public struct ScreenContext: Sendable {
    /// The size of the area the screen draws into (the terminal less the title and help bars).
    public let bodySize: Size
    public let theme: Theme
}

/// What a screen asks the app to do after an event. I/O runs outside, as an effect whose
/// result comes back as an event.
public enum Command: Sendable {
    case none
    case push(any Screen)
    case pop
    case quit
    /// Background work whose result goes back to the screen that started it. Screens build it
    /// with `work` (one result) and `stream` (many), typed by their `Message`.
    case run(@Sendable () async -> Event)
    /// Like `run`, but the program waits for it (a few seconds at most) before it exits: a save,
    /// an export. Plain `run` work (a request, a server starting) is abandoned at exit.
    case save(@Sendable () async -> Event)
    /// Background work that reports many times (a live log): `post` sends a message to the
    /// screen that started it. The work ends itself (the screen tells it when to stop).
    case stream(@Sendable (_ post: @escaping @Sendable (any Sendable) -> Void) async -> Void)
    /// Put text on the terminal's clipboard (OSC 52).
    case clipboard(String)
    case batch([Command])
}

/// A full-screen view: state, a key table, an update function and a drawing function.
public protocol Screen: Sendable {
    /// What the screen's own background work reports back (a save, a response, a log batch).
    associatedtype Message: Sendable = Never
    /// Its part of the breadcrumb in the title bar.
    var title: String { get }
    /// Generated from the screen's key table; feeds the help bar and the `?` overlay.
    var keyHelp: [KeyHelp] { get }
    /// True while a text field has the keys: `?` and `q` are typed, not commands.
    var capturesText: Bool { get }
    /// True while the screen shows something that changes with time (an exam's clock): only
    /// then do ticks reach it and cause a redraw.
    var wantsTicks: Bool { get }
    /// The work the screen needs as soon as it is shown (Bubble Tea's `Init`): the app carries it
    /// out when the screen is pushed, or, for the first screen, when the program starts. The Lab
    /// and the Exercises start their server and their log here.
    func start() -> Command
    mutating func handle(_ event: Event, context: ScreenContext) -> Command
    /// A result of the screen's own work, delivered to it even when another screen is on top.
    mutating func receive(_ message: Message) -> Command
    /// Drawing may settle view state (a list scrolling to its selection), hence mutating.
    mutating func draw(into buffer: inout ScreenBuffer, area: Rect, theme: Theme)
}

extension Screen {
    public var capturesText: Bool { false }
    public var wantsTicks: Bool { false }
    public func start() -> Command { .none }

    /// Work with one result, a `Message` for this screen.
    public func work(_ operation: @escaping @Sendable () async -> Message) -> Command {
        .run { .message(await operation()) }
    }

    /// Work with one result that must not be lost when the program ends: a save, an export.
    public func saving(_ operation: @escaping @Sendable () async -> Message) -> Command {
        .save { .message(await operation()) }
    }

    /// Work that reports many results; `post` takes this screen's `Message`s.
    public func stream(_ operation: @escaping @Sendable (_ post: @escaping @Sendable (Message) -> Void) async -> Void) -> Command {
        .stream { post in await operation { post($0) } }
    }

    /// A routed result, if it is one of this screen's messages (anything else is not for it).
    mutating func deliver(_ payload: any Sendable, context: ScreenContext) -> Command {
        guard let message = payload as? Message else { return handle(.message(payload), context: context) }
        return receive(message)
    }
}

extension Screen where Message == Never {
    public mutating func receive(_ message: Never) -> Command {}
}
