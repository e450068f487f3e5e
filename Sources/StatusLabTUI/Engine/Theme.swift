import StatusLabCore

/// Box-drawing characters: Unicode where the locale is UTF-8, ASCII otherwise.
public struct BoxChars: Sendable, Equatable {
    public let horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: String
    public let teeDown, teeUp, teeRight, teeLeft, cross: String
    public let arrowRight, arrowDown, bullet, ellipsis, pointer: String

    public static let unicode = BoxChars(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐",
                                         bottomLeft: "└", bottomRight: "┘", teeDown: "┬", teeUp: "┴",
                                         teeRight: "├", teeLeft: "┤", cross: "┼", arrowRight: "→",
                                         arrowDown: "↓", bullet: "•", ellipsis: "…", pointer: "›")
    public static let ascii = BoxChars(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+",
                                       bottomLeft: "+", bottomRight: "+", teeDown: "+", teeUp: "+",
                                       teeRight: "+", teeLeft: "+", cross: "+", arrowRight: ">",
                                       arrowDown: "v", bullet: "*", ellipsis: "...", pointer: ">")
}

/// What things look like. With colour off (NO_COLOR, a monochrome terminal) every role still
/// stands out through bold, underline and reverse alone.
public struct Theme: Sendable {
    public enum Role: Sendable, CaseIterable {
        case titleBar, helpBar, helpKey, heading, selection, selectionInactive, link, focusedLink
        case muted, frame, frameFocused, input, error, emphasis, code
    }

    /// The colours of a theme file, by role and by status class (1…5).
    public struct Palette: Sendable {
        public let roles: [Role: Style]
        public let statuses: [Int: Style]
    }

    public let color: Bool
    public let box: BoxChars

    /// The colours in use; nil means the built-in ones below (the same as assets/themes/default.theme).
    public let palette: Palette?

    public init(color: Bool, unicode: Bool, palette: Palette? = nil) {
        self.color = color
        self.box = unicode ? .unicode : .ascii
        self.palette = palette
    }

    public static let test = Theme(color: true, unicode: true)

    public func style(_ role: Role) -> Style {
        if !color {
            switch role {
            case .titleBar, .helpBar, .selection, .focusedLink, .input: return Style(attributes: .reverse)
            case .helpKey, .heading, .emphasis, .frameFocused, .error, .code: return Style(attributes: .bold)
            case .selectionInactive, .link: return Style(attributes: .underline)
            case .muted, .frame: return .plain
            }
        }
        if let style = palette?.roles[role] { return style }
        switch role {
        case .code: return Style(foreground: .cyan)
        case .titleBar: return Style(foreground: .black, background: .cyan)
        case .helpBar: return Style(foreground: .white, background: .brightBlack)
        case .helpKey: return Style(foreground: .brightYellow, background: .brightBlack, attributes: .bold)
        case .heading: return Style(foreground: .brightWhite, attributes: .bold)
        case .selection: return Style(foreground: .black, background: .cyan)
        case .selectionInactive: return Style(attributes: .reverse)
        case .link: return Style(foreground: .cyan, attributes: .underline)
        case .focusedLink: return Style(foreground: .black, background: .yellow)
        case .muted: return Style(foreground: .brightBlack)
        case .frame: return Style(foreground: .brightBlack)
        case .frameFocused: return Style(foreground: .cyan)
        case .input: return Style(foreground: .brightWhite, background: .blue)
        case .error: return Style(foreground: .red, attributes: .bold)
        case .emphasis: return Style(attributes: .bold)
        }
    }

    public func style(_ textStyle: TextStyle) -> Style {
        switch textStyle {
        case .plain: return .plain
        case .strong: return Style(attributes: .bold)
        case .code: return style(Role.code)
        case .dim: return style(Role.muted)
        case .color(let named): return color ? Style(foreground: Self.terminalColor(named)) : Style(attributes: .bold)
        }
    }

    /// A status code's class colour (bold when there is no colour).
    public func style(_ statusClass: StatusClass) -> Style {
        guard color else { return Style(attributes: .bold) }
        return palette?.statuses[statusClass.rawValue] ?? Style(foreground: Self.terminalColor(statusClass.color), attributes: .bold)
    }

    static func terminalColor(_ named: NamedColor) -> Color {
        switch named {
        case .red: .red
        case .green: .green
        case .yellow: .yellow
        case .blue: .brightBlue
        case .magenta: .magenta
        case .cyan: .cyan
        }
    }
}
