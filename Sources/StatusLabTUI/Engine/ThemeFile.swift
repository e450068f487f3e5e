/// A theme file (`assets/themes/*.theme`): one `role = colour [on background][, attribute…]`
/// line per role, `#` comments. Every role must be given, so a theme never falls back silently.
public enum ThemeFile {
    public struct Problem: Error, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// The role names a file uses, and what each styles.
    static let roles: [String: Theme.Role] = [
        "title-bar": .titleBar, "help-bar": .helpBar, "help-key": .helpKey, "heading": .heading, "selection": .selection,
        "selection-inactive": .selectionInactive, "link": .link, "focused-link": .focusedLink, "muted": .muted, "frame": .frame,
        "frame-focused": .frameFocused, "input": .input, "error": .error, "emphasis": .emphasis, "code": .code,
    ]
    /// Status class colours, by the class's first digit.
    static let statusKeys: [String: Int] = ["status-1xx": 1, "status-2xx": 2, "status-3xx": 3, "status-4xx": 4, "status-5xx": 5]

    static let colors: [String: Color] = {
        var names: [String: Color] = ["default": .default]
        let base = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
        for (index, name) in base.enumerated() {
            names[name] = Color(rawValue: index)!
            names["bright-" + name] = Color(rawValue: index + 8)!
        }
        return names
    }()

    static let attributes: [String: Attributes] = ["bold": .bold, "dim": .dim, "underline": .underline, "reverse": .reverse, "italic": .italic]

    /// The palette a file gives, or the first problem with its line.
    public static func parse(_ text: String) throws(Problem) -> Theme.Palette {
        var roles: [Theme.Role: Style] = [:]
        var statuses: [Int: Style] = [:]
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw Problem(line: offset + 1, message: "a line is `role = colour [on background][, bold]`") }
            let style = try Self.style(parts[1], line: offset + 1)
            if let role = Self.roles[parts[0]] { roles[role] = style }
            else if let digit = statusKeys[parts[0]] { statuses[digit] = style }
            else {
                throw Problem(line: offset + 1, message: "unknown role `\(parts[0])` (one of \((Self.roles.keys.sorted() + statusKeys.keys.sorted()).joined(separator: ", ")))")
            }
        }
        let missing = Self.roles.filter { roles[$0.value] == nil }.map(\.key) + statusKeys.filter { statuses[$0.value] == nil }.map(\.key)
        guard missing.isEmpty else { throw Problem(line: 1, message: "the theme does not give \(missing.sorted().joined(separator: ", "))") }
        return Theme.Palette(roles: roles, statuses: statuses)
    }

    static func style(_ text: String, line: Int) throws(Problem) -> Style {
        let pieces = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let colorWords = pieces[0].split(separator: " ").map(String.init)
        var style = Style()
        guard let foreground = colors[colorWords.first ?? ""] else {
            throw Problem(line: line, message: "`\(colorWords.first ?? "")` is not a colour (default, black … white, bright-black … bright-white)")
        }
        style.foreground = foreground
        if colorWords.count == 3, colorWords[1] == "on" {
            guard let background = colors[colorWords[2]] else { throw Problem(line: line, message: "`\(colorWords[2])` is not a colour") }
            style.background = background
        } else if colorWords.count != 1 {
            throw Problem(line: line, message: "a colour is `name` or `name on background`, not `\(pieces[0])`")
        }
        for word in pieces.dropFirst() {
            guard let attribute = attributes[word] else {
                throw Problem(line: line, message: "`\(word)` is not an attribute (bold, dim, underline, reverse, italic)")
            }
            style.attributes.insert(attribute)
        }
        return style
    }
}
