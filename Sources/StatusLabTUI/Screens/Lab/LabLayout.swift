import StatusLabCore

extension LabScreen {
    /// What the views show.
    enum View: Int, CaseIterable, Sendable {
        case response = 1, decision, wire, log, history
        var name: String {
            switch self {
            case .response: "Response"
            case .decision: "Decision"
            case .wire: "Wire"
            case .log: "Log"
            case .history: "History"
            }
        }

        /// The tabs, the current one highlighted, each a click target typing its digit.
        static func drawTabs(into buffer: inout ScreenBuffer, area: Rect, current: View, logCount: Int, theme: Theme) {
            var x = area.x + 1
            for candidate in allCases {
                let label = " \(candidate.rawValue) \(candidate.name)" + (candidate == .log && logCount > 0 ? " (\(logCount))" : "") + " "
                let start = x
                x = buffer.write(label, x: x, y: area.y, style: candidate == current ? theme.style(.selection) : theme.style(.muted), clip: area)
                buffer.addClickTarget(Rect(x: start, y: area.y, width: x - start, height: 1), .key(.char(Character("\(candidate.rawValue)"))))
            }
        }
    }
}

/// Where the Lab's parts go in its body, worked out in one place for `handle` and `draw`: keys
/// choose among the rows as they are laid out at the width they are drawn at.
struct LabLayout {
    let serverLine: Rect
    let composer: Rect
    /// The view tabs' line; nil when the terminal is too short for a view.
    let tabs: Rect?
    /// Where the view's rows go (one column in from each side), the scroll bar's column, and
    /// the find line under the rows while there is a search.
    let rows: Rect
    let scrollbarColumn: Int
    let findLine: Rect?

    /// Rows are laid out one column narrower than they are drawn: a column stays free before
    /// the scroll bar.
    var rowWidth: Int { max(rows.width - 1, 1) }

    init(body: Rect, finding: Bool) {
        let (server, rest) = body.splitTop(1)
        serverLine = server
        let (top, below) = rest.splitTop(min(7, max(rest.height - 5, 3)))
        composer = top
        guard below.height >= 2 else {
            tabs = nil
            rows = Rect(x: below.x + 1, y: below.maxY, width: max(below.width - 2, 0), height: 0)
            scrollbarColumn = below.maxX - 1
            findLine = nil
            return
        }
        let (tabLine, view) = below.splitTop(1)
        tabs = tabLine
        var viewArea = view
        if finding, viewArea.height > 2 {
            viewArea.height -= 1
            findLine = Rect(x: viewArea.x, y: viewArea.maxY, width: viewArea.width, height: 1)
        } else {
            findLine = nil
        }
        rows = viewArea.inset(left: 1, right: 1)
        scrollbarColumn = viewArea.maxX - 1
    }
}
