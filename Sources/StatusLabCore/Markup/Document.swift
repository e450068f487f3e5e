/// Text as StatusLab shows it: blocks of styled inline runs and links. Content pages are
/// parsed into this once; the TUI and the plain-text commands each render it their own way.
public struct Document: Sendable, Equatable {
    public var blocks: [Block]

    public init(blocks: [Block] = []) { self.blocks = blocks }
}

public enum Block: Sendable, Equatable {
    case heading(String)
    case paragraph([Inline])
    case bullet([Inline])
    /// A list item with its own marker (a cursor, a check box), kept with its neighbours.
    case item(marker: String, [Inline])
    /// Shown as written: raw requests and responses. Never wrapped.
    case code([String])
    /// A label and its value on one line, e.g. "Spec" → "RFC 9110 §15.5.2".
    case field(label: String, value: [Inline])
}

public enum Inline: Sendable, Equatable {
    case text(String, TextStyle)
    /// A link to another page; `label` is what is shown.
    case link(target: String, label: String)

    public var plainText: String {
        switch self {
        case .text(let text, _): text
        case .link(_, let label): label
        }
    }
}

public enum TextStyle: Sendable, Equatable, Hashable {
    case plain, strong, code, dim
    case color(NamedColor)
}

public enum NamedColor: String, Sendable, CaseIterable, Hashable {
    case red, green, yellow, blue, magenta, cyan
}

extension Array where Element == Inline {
    public var plainText: String { map(\.plainText).joined() }
}
