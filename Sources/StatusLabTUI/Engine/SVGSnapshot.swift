/// A screen buffer as an SVG picture, colours and all: the README's screenshots are the same
/// cells the terminal gets, so they cannot drift from what users see.
public enum SVGSnapshot {
    static let cellWidth = 8.4
    static let cellHeight = 17.0
    static let fontSize = 14.0
    static let foreground = "#d0d0d0"
    static let background = "#1c1c1c"

    /// The 16 ANSI colours, as a common dark terminal shows them.
    static let palette = [
        "#1c1c1c", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
        "#767676", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff",
    ]

    static func hex(_ color: Color, default fallback: String) -> String {
        color == .default ? fallback : palette[color.rawValue]
    }

    public static func render(_ screen: ScreenBuffer, title: String) -> String {
        let width = Double(screen.size.width) * cellWidth
        let height = Double(screen.size.height) * cellHeight
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(format(width + 16))" height="\(format(height + 16))" \
            viewBox="0 0 \(format(width + 16)) \(format(height + 16))" role="img" aria-label="\(escape(title))">
            <title>\(escape(title))</title>
            <rect width="100%" height="100%" rx="6" fill="\(background)"/>
            <g transform="translate(8 8)" font-family="'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="\(format(fontSize))" xml:space="preserve">

            """
        for y in 0..<screen.size.height {
            for run in runs(screen, line: y) {
                let x = Double(run.column) * cellWidth
                let top = Double(y) * cellHeight
                let runWidth = Double(run.cells) * cellWidth
                var (fg, bg) = (hex(run.style.foreground, default: foreground), hex(run.style.background, default: background))
                if run.style.attributes.contains(.reverse) { swap(&fg, &bg) }
                if bg != background {
                    svg += "<rect x=\"\(format(x))\" y=\"\(format(top))\" width=\"\(format(runWidth))\" height=\"\(format(cellHeight))\" fill=\"\(bg)\"/>\n"
                }
                guard run.text.contains(where: { $0 != " " }) else { continue }
                var attributes = "x=\"\(format(x))\" y=\"\(format(top + cellHeight - 4.5))\" fill=\"\(fg)\""
                attributes += " textLength=\"\(format(runWidth))\" lengthAdjust=\"spacingAndGlyphs\""
                if run.style.attributes.contains(.bold) { attributes += " font-weight=\"bold\"" }
                if run.style.attributes.contains(.italic) { attributes += " font-style=\"italic\"" }
                if run.style.attributes.contains(.underline) { attributes += " text-decoration=\"underline\"" }
                if run.style.attributes.contains(.dim) { attributes += " opacity=\"0.6\"" }
                svg += "<text \(attributes)>\(escape(run.text))</text>\n"
            }
        }
        return svg + "</g>\n</svg>\n"
    }

    struct Run {
        var column: Int
        var cells: Int
        var text: String
        var style: Style
    }

    /// A line cut into runs of one style (a wide character and its continuation stay together).
    static func runs(_ screen: ScreenBuffer, line y: Int) -> [Run] {
        var runs: [Run] = []
        for x in 0..<screen.size.width {
            let cell = screen[x, y]
            if cell.isContinuation {
                runs[runs.count - 1].cells += 1
                continue
            }
            if var last = runs.last, last.style == cell.style {
                last.cells += 1
                last.text += cell.symbol
                runs[runs.count - 1] = last
            } else {
                runs.append(Run(column: x, cells: 1, text: cell.symbol, style: cell.style))
            }
        }
        return runs
    }

    /// One decimal at most, so the file is stable across platforms.
    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
