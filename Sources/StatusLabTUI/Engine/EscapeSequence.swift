/// What follows an Esc that the terminal library did not turn into a key itself: a CSI
/// (`Esc [ … final`) or SS3 (`Esc O x`) sequence it has no entry for, as under a TERM that
/// does not match the terminal (tmux sends `Esc [ 1 ~` for Home where xterm's entry says
/// `Esc O H`). Such a sequence is read whole and becomes the key it names, or nothing; it is
/// never read as Esc, which leaves screens and, on the home screen, quits.
public enum EscapeSequence {
    public enum Reading: Equatable, Sendable {
        /// More characters belong to the sequence.
        case incomplete
        /// The sequence is whole: the key it names, or nil for one to ignore.
        case complete(Key?)
        /// Not a sequence: a lone Esc, followed by the characters read (Alt and a key, say).
        case notASequence
    }

    /// Reads the characters after Esc so far.
    public static func read(_ after: [Character]) -> Reading {
        guard let introducer = after.first else { return .incomplete }
        switch introducer {
        case "[":
            let body = after.dropFirst()
            guard let last = body.last else { return .incomplete }
            // Parameters and intermediates are 0x20–0x3F; the final byte is 0x40–0x7E.
            guard let value = last.asciiValue, (0x40...0x7E).contains(value) else {
                if let value = last.asciiValue, (0x20...0x3F).contains(value), body.count < 16 { return .incomplete }
                return .complete(nil)
            }
            return .complete(csi(String(body.dropLast()), final: last))
        case "O":
            guard after.count >= 2 else { return .incomplete }
            return .complete(ss3(after[1]))
        default:
            return .notASequence
        }
    }

    private static func csi(_ parameters: String, final: Character) -> Key? {
        // A modifier (`1;5H`, Ctrl-Home) does not change which key it is.
        let first = parameters.split(separator: ";").first.map(String.init) ?? ""
        switch final {
        case "A": return .up
        case "B": return .down
        case "C": return .right
        case "D": return .left
        case "H": return .home
        case "F": return .end
        case "Z": return .backTab
        case "~":
            switch first {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            case "5": return .pageUp
            case "6": return .pageDown
            default: return nil
            }
        default: return nil
        }
    }

    private static func ss3(_ character: Character) -> Key? {
        switch character {
        case "A": .up
        case "B": .down
        case "C": .right
        case "D": .left
        case "H": .home
        case "F": .end
        case "P": .function(1)
        case "Q": .function(2)
        case "R": .function(3)
        case "S": .function(4)
        default: nil
        }
    }
}
