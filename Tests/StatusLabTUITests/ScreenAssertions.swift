import StatusLabCore
import Testing
@testable import StatusLabTUI

/// ratatui's `Buffer::with_lines`, for our screens: the whole screen (or a region of it) must
/// read exactly as `expected`, line for line, where `contains` would miss a row that moved, a
/// line cut short or text drawn over a frame. Expected lines may leave out trailing spaces.
/// A failure prints both screens side by side as a line-by-line diff.
func expectScreen(_ screen: ScreenBuffer, region: Rect? = nil, equals expected: [String],
                  sourceLocation: SourceLocation = #_sourceLocation) {
    let area = region ?? screen.area
    let actual = (area.y..<area.maxY).map { y in
        screen.lines[y].dropping(columns: area.x).keeping(columns: area.width)
    }
    if let diff = screenDiff(actual: actual, expected: expected, width: area.width) {
        Issue.record("the screen\(region.map { " in \($0)" } ?? "") is not as expected (- expected, + drawn):\n\(diff)",
                     sourceLocation: sourceLocation)
    }
}

/// Nil when `actual` reads as `expected` (trailing spaces aside); else every line, the ones
/// that differ as a `-` expected and a `+` drawn pair, between bars so spaces show.
func screenDiff(actual: [String], expected: [String], width: Int) -> String? {
    let trimmed = { (line: String) in String(line.reversed().drop { $0 == " " }.reversed()) }
    var differs = actual.count != expected.count
    var lines: [String] = []
    for index in 0..<max(actual.count, expected.count) {
        let drawn = index < actual.count ? trimmed(actual[index]) : nil
        let wanted = index < expected.count ? trimmed(expected[index]) : nil
        if drawn == wanted, let drawn {
            lines.append("  \(pad(index))|\(drawn)")
        } else {
            differs = true
            if let wanted { lines.append("- \(pad(index))|\(wanted)") }
            if let drawn { lines.append("+ \(pad(index))|\(drawn)") }
        }
    }
    if expected.contains(where: { DisplayWidth.of($0) > width }) {
        differs = true
        lines.append("(an expected line is wider than the \(width) columns compared)")
    }
    return differs ? lines.joined(separator: "\n") : nil
}

private func pad(_ index: Int) -> String {
    let number = String(index)
    return String(repeating: " ", count: max(3 - number.count, 0)) + number
}

extension String {
    /// The text from display column `columns` on.
    func dropping(columns: Int) -> String {
        var used = 0
        var rest = Substring(self)
        while used < columns, let first = rest.first {
            used += DisplayWidth.of(String(first))
            rest = rest.dropFirst()
        }
        return String(rest)
    }

    /// The first `columns` display columns of the text.
    func keeping(columns: Int) -> String {
        var used = 0
        var kept = ""
        for character in self {
            let width = DisplayWidth.of(String(character))
            if used + width > columns { break }
            kept.append(character)
            used += width
        }
        return kept
    }
}
