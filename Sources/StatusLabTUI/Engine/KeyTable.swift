/// One line of a screen's key table: the keys, what the help shows, and what they do. The
/// help bar and the `?` overlay are generated from the same table that dispatches keys.
public struct KeyBinding<Action>: Sendable where Action: Sendable {
    public let keys: [Key]
    public let label: String
    public let help: String
    public let action: Action
    /// Shown in the one-line help bar (everything is in the `?` overlay).
    public let inBar: Bool
    /// Shown in the `?` overlay: false for the other half of a pair another line names
    /// ("↑↓ move" covers the down arrow's binding).
    public let inHelp: Bool

    public init(_ keys: [Key], _ label: String? = nil, _ help: String, _ action: Action, inBar: Bool = true, inHelp: Bool = true) {
        self.keys = keys
        self.label = label ?? keys.map(\.description).joined(separator: "/")
        self.help = help
        self.action = action
        self.inBar = inBar && inHelp
        self.inHelp = inHelp
    }
}

extension KeyBinding {
    /// One binding per digit, each with its own number in its action, shown as one line
    /// (`label`, such as "1-4").
    public static func digits(_ numbers: ClosedRange<Int>, _ label: String, _ help: String,
                              _ action: (Int) -> Action) -> [KeyBinding] {
        numbers.map { n in
            KeyBinding([.char(Character("\(n)"))], label, help, action(n), inHelp: n == numbers.lowerBound)
        }
    }
}

/// What a key does, for help; independent of the screen's own action type.
public struct KeyHelp: Sendable, Equatable {
    public let label: String
    public let help: String
    public let inBar: Bool
    public let inHelp: Bool
    /// What clicking the entry in the help bar types: the key its label names, when it names
    /// one key ("s", "Enter"; not "↑↓" or "1-4").
    public let key: Key?

    public init(label: String, help: String, inBar: Bool, inHelp: Bool = true, key: Key? = nil) {
        self.label = label
        self.help = help
        self.inBar = inBar
        self.inHelp = inHelp
        self.key = key
    }

    /// The key a label names on its own, if it does.
    public static func key(named label: String) -> Key? {
        switch label {
        case "Enter": .enter
        case "Esc": .escape
        case "Tab": .tab
        case "Space": .char(" ")
        default: label.count == 1 ? .char(label.first!) : nil
        }
    }
}

public struct KeyTable<Action: Sendable>: Sendable {
    public var bindings: [KeyBinding<Action>]

    public init(_ bindings: [KeyBinding<Action>]) { self.bindings = bindings }

    public func action(for key: Key) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// Every key the table binds.
    public var keys: Set<Key> { Set(bindings.flatMap(\.keys)) }

    /// The table without `keys` (another screen handles them): a binding keeps its other keys,
    /// and is then labelled by them.
    public func without(_ keys: Set<Key>) -> KeyTable {
        KeyTable(bindings.compactMap { binding in
            let rest = binding.keys.filter { !keys.contains($0) }
            if rest.count == binding.keys.count { return binding }
            if rest.isEmpty { return nil }
            return KeyBinding(rest, nil, binding.help, binding.action, inBar: binding.inBar, inHelp: binding.inHelp)
        })
    }

    /// The same keys doing `transform(action)`: how a screen takes in the table of a component
    /// it embeds (the Lab's composer).
    public func map<Other: Sendable>(_ transform: (Action) -> Other) -> KeyTable<Other> {
        KeyTable<Other>(bindings.map { KeyBinding($0.keys, $0.label, $0.help, transform($0.action), inBar: $0.inBar, inHelp: $0.inHelp) })
    }

    public var help: [KeyHelp] {
        bindings.map { binding in
            let key = KeyHelp.key(named: binding.label).flatMap { binding.keys.contains($0) ? $0 : nil }
            return KeyHelp(label: binding.label, help: binding.help, inBar: binding.inBar, inHelp: binding.inHelp, key: key)
        }
    }
}
