/// One `key: value` line of a content file (the key lowercased) and the line it started on.
public struct Field: Sendable {
    public let key: String
    public internal(set) var value: String
    public let line: Int

    /// The value cut at `separator`, each part trimmed, empty parts dropped: `spec:` lists
    /// (`;`), `related:`, `tags:` and `topic:` lists (`,`).
    func list(_ separator: Unicode.Scalar) -> [String] {
        // Cut on the byte: the separators are ASCII, and this runs for every page at start-up.
        value.utf8.split(separator: UInt8(ascii: separator))
            .map { String(Substring($0).trimmingLeadingSpaces().trimmingTrailingSpaces()) }
            .filter { !$0.isEmpty }
    }
}

/// The one reader of the field format all content files share (docs/CONTENT.md): `key: value`
/// lines; a blank line ends a block; a line starting with two spaces continues the previous
/// field; `#` lines are comments. A line without a colon is a field with an empty key, for the
/// parser to complain about.
enum FieldReader {
    /// Every block of a diagram, quiz or exercise file.
    static func blocks(_ text: String) -> [[Field]] {
        var blocks: [[Field]] = []
        var current: [Field] = []
        read(text) { line in
            guard let line else {
                if !current.isEmpty { blocks.append(current); current = [] }
                return true
            }
            add(line, to: &current)
            return true
        }
        if !current.isEmpty { blocks.append(current) }
        return blocks
    }

    /// A page's header: the fields before the first blank line, and the body after it with the
    /// number of its first line. Reads no further than the blank line.
    static func header(_ text: String) -> (fields: [Field], body: Substring, bodyLine: Int) {
        var fields: [Field] = []
        var end = text.endIndex
        var bodyLine = 1
        read(text) { line in
            guard let line else { return false }
            add(line, to: &fields)
            return true
        } blankLine: { index, number in
            end = index
            bodyLine = number + 1
        }
        if end == text.endIndex { bodyLine = text.utf8.reduce(1) { $0 + ($1 == 10 ? 1 : 0) } + 1 }
        return (fields, text[end...], bodyLine)
    }

    private struct Line {
        let text: Substring
        let number: Int
    }

    private static func add(_ line: Line, to fields: inout [Field]) {
        if line.text.utf8.starts(with: "  ".utf8), !fields.isEmpty {
            fields[fields.count - 1].value += " " + line.text.trimmingLeadingSpaces()
            return
        }
        guard let colon = line.text.utf8.firstIndex(of: UInt8(ascii: ":")) else {
            fields.append(Field(key: "", value: String(line.text), line: line.number))
            return
        }
        fields.append(Field(key: String(line.text[..<colon]).lowercased(),
                            value: String(line.text[line.text.index(after: colon)...].trimmingLeadingSpaces()),
                            line: line.number))
    }

    /// Calls `visit` with each non-comment line (trailing spaces trimmed), or nil for a blank
    /// line, until it returns false. `blankLine` learns where the stopping blank line ended.
    private static func read(_ text: String, _ visit: (Line?) -> Bool,
                             blankLine: (String.Index, Int) -> Void = { _, _ in }) {
        var start = text.startIndex
        var number = 0
        while start < text.endIndex {
            number += 1
            let newline = text.utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
            let next = newline == text.endIndex ? newline : text.utf8.index(after: newline)
            let line = text[start..<newline].trimmingTrailingSpaces()
            defer { start = next }
            if line.utf8.first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) == UInt8(ascii: "#") { continue }
            if line.isEmpty {
                if !visit(nil) { blankLine(next, number); return }
                continue
            }
            if !visit(Line(text: line, number: number)) { return }
        }
    }
}

extension Array where Element == Field {
    /// The first field named `key`.
    func one(_ key: String) -> Field? { first { $0.key == key } }

    /// Every field named `key`, in order.
    func all(_ key: String) -> [Field] { filter { $0.key == key } }
}
