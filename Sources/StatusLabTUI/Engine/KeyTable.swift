/// One line of a screen's key table: the keys, what the help shows, and what they do. The
/// help bar and the `?` overlay are generated from the same table that dispatches keys.
public struct KeyBinding<Action>: Sendable where Action: Sendable {
    public let keys: [Key]
    public let label: String
    public let help: String
    public let action: Action
    /// Shown in the one-line help bar (everything is in the `?` overlay).
    public let inBar: Bool

    public init(_ keys: [Key], _ label: String? = nil, _ help: String, _ action: Action, inBar: Bool = true) {
        self.keys = keys
        self.label = label ?? keys.map(\.description).joined(separator: "/")
        self.help = help
        self.action = action
        self.inBar = inBar
    }
}

/// What a key does, for help; independent of the screen's own action type.
public struct KeyHelp: Sendable, Equatable {
    public let label: String
    public let help: String
    public let inBar: Bool

    public init(label: String, help: String, inBar: Bool) {
        self.label = label
        self.help = help
        self.inBar = inBar
    }
}

public struct KeyTable<Action: Sendable>: Sendable {
    public var bindings: [KeyBinding<Action>]

    public init(_ bindings: [KeyBinding<Action>]) { self.bindings = bindings }

    public func action(for key: Key) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    public var help: [KeyHelp] {
        bindings.map { KeyHelp(label: $0.label, help: $0.help, inBar: $0.inBar) }
    }
}
