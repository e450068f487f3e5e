/// A learner's name as the room keeps it: what a learner types reaches the instructor's
/// terminal, so nothing in it may act on a terminal. Escape sequences go whole (`ESC ] 52 ; c ;
/// …` would set the clipboard, `ESC [ 2 J` clear the screen), then every other control
/// character (C0, DEL, C1) and the characters that reorder text (bidi overrides); runs of
/// spaces become one, and the name is cut to `maxLength` characters.
public enum LearnerName {
    public static let maxLength = 32

    /// The name to show, or nil when nothing printable is left.
    public static func sanitized(_ raw: String, maxLength: Int = LearnerName.maxLength) -> String? {
        var kept: [Unicode.Scalar] = []
        var scalars = Array(raw.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if scalar == "\u{1B}" || scalar == "\u{9B}" || scalar == "\u{9D}" || scalar == "\u{90}" {
                scalars = afterEscape(introducer: scalar, scalars)
                continue
            }
            if isControl(scalar) {
                // A tab or line break separates words; the rest vanish.
                if scalar == "\t" || scalar == "\n" || scalar == "\r" { kept.append(" ") }
                continue
            }
            kept.append(scalar)
        }
        var name = ""
        var lastWasSpace = true
        for scalar in kept {
            let space = scalar.properties.isWhitespace
            if space && lastWasSpace { continue }
            name.unicodeScalars.append(space ? " " : scalar)
            lastWasSpace = space
        }
        while name.last == " " { name.removeLast() }
        guard !name.isEmpty else { return nil }
        if name.count > maxLength {
            name = String(name.prefix(maxLength))
            while name.last == " " { name.removeLast() }
        }
        return name
    }

    /// C0, DEL, C1, and the invisible characters that change how the rest of a line shows:
    /// bidi embeddings, overrides and isolates, and zero-width joiners used to hide text.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F, 0x80..<0xA0: return true
        case 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// What follows an escape sequence's introducer, with the sequence removed: CSI (`ESC [`,
    /// or C1 CSI) up to its final byte; OSC, DCS, SOS, PM and APC (`ESC ]`, `ESC P`, `ESC X`,
    /// `ESC ^`, `ESC _`) up to BEL or ST, or to the end when unterminated; any other `ESC x`
    /// is two characters.
    static func afterEscape(introducer: Unicode.Scalar, _ rest: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var rest = rest
        var kind: Unicode.Scalar
        switch introducer {
        case "\u{9B}": kind = "["
        case "\u{9D}": kind = "]"
        case "\u{90}": kind = "P"
        default:
            guard let next = rest.popFirst() else { return rest }
            kind = next
        }
        switch kind {
        case "[":
            // Parameters and intermediates (0x20–0x3F), then one final byte (0x40–0x7E).
            while let scalar = rest.popFirst() {
                if (0x40...0x7E).contains(scalar.value) || !(0x20...0x3F).contains(scalar.value) { break }
            }
        case "]", "P", "X", "^", "_":
            while let scalar = rest.popFirst() {
                if scalar == "\u{07}" || scalar == "\u{9C}" { break }
                if scalar == "\u{1B}" {
                    if rest.first == "\\" { rest.removeFirst() }
                    break
                }
            }
        default:
            break
        }
        return rest
    }
}
