import StatusLabCore
import Testing
@testable import StatusLabTUI

/// The row list the Lab's views and the Exercises list share: a selection among the rows that
/// can be chosen, scrolling, click targets, and rows laid out again at the width drawn.
@Suite struct RowListTests {
    struct Line: ListRow {
        let text: String
        let isSelectable: Bool
        var runs: [(String, Style)] { [(text, .plain)] }
    }

    /// Ten lines; every third one (0, 3, 6, 9) can be chosen.
    static let lines = (0..<10).map { Line(text: "line \($0)", isSelectable: $0 % 3 == 0) }

    @Test func movesSkipRowsThatCannotBeChosenAndStopAtTheEnds() {
        var list = RowList<Line>()
        list.layout(Self.lines, height: 4)
        #expect(list.selected == nil)
        list.move(by: 1)
        #expect(list.selected == 0, "the first move picks the first that can be chosen")
        list.move(by: 1)
        #expect(list.selected == 3)
        list.move(by: 5)
        #expect(list.selected == 9)
        #expect(list.scroll.offset == 6, "scrolled so the selection shows")
        list.move(by: -1)
        #expect(list.selected == 6)
        list.reset()
        list.move(by: -1)
        #expect(list.selected == 9, "the first move up picks the last")
    }

    @Test func withNothingToChooseMovesScrollAndPagesKeepALine() {
        var list = RowList<Line>()
        list.layout(Self.lines.map { Line(text: $0.text, isSelectable: false) }, height: 4)
        list.move(by: 2)
        #expect(list.selected == nil && list.scroll.offset == 2)
        list.page(by: 1)
        #expect(list.scroll.offset == 5, "a page is the height less one line")
        list.page(by: 1)
        #expect(list.scroll.offset == 6, "no further than the last rows")
    }

    @Test func aClickSelectsOnlyRowsThatCanBeChosen() {
        var list = RowList<Line>()
        list.layout(Self.lines, height: 4)
        let onAPlainRow = list.select(4), onAChoice = list.select(6)
        #expect(!onAPlainRow && onAChoice)
        #expect(list.selectedRow?.text == "line 6")
        let outside = list.select(42)
        #expect(!outside)
    }

    /// Laid out again (another width, new content), the selection stays on its row when that
    /// row can still be chosen, and is dropped when it cannot.
    @Test func aNewLayoutKeepsTheSelectionOnlyWhereItStillFits() {
        var list = RowList<Line>(selected: 3)
        list.layout(Self.lines, height: 4)
        #expect(list.selected == 3, "a selection given before the first layout is kept")
        list.layout(Array(Self.lines.prefix(3)), height: 4)
        #expect(list.selected == nil)
        list.layout(Self.lines, height: 20)
        list.move(by: 1)
        #expect(list.selected == 0)
    }

    @Test func drawsWhatShowsWithItsHighlightClickTargetsAndScrollBar() {
        var list = RowList<Line>()
        list.layout(Self.lines, height: 4)
        list.move(by: 1)
        list.move(by: 1)
        var buffer = ScreenBuffer(size: Size(width: 12, height: 4))
        list.draw(into: &buffer, area: Rect(x: 0, y: 0, width: 10, height: 4), scrollbarColumn: 11, theme: .test)
        expectScreen(buffer, region: Rect(x: 0, y: 0, width: 10, height: 4), equals: [
            "line 0",
            "line 1",
            "line 2",
            "line 3",
        ])
        #expect(buffer[0, 3].style == Theme.test.style(.selection))
        #expect(buffer[0, 1].style != Theme.test.style(.selection))
        #expect(buffer.clickAction(x: 2, y: 3) == .row(3))
        #expect(buffer.clickAction(x: 2, y: 1) == nil, "a row that cannot be chosen is not a target")
        #expect(buffer[11, 0].symbol == "█", "the scroll bar's thumb, at the top")
    }

    @Test func theScreenDiffNamesTheLinesThatDiffer() {
        #expect(screenDiff(actual: ["ab  ", "cd"], expected: ["ab", "cd"], width: 4) == nil, "trailing spaces do not count")
        let diff = screenDiff(actual: ["ab", "xy"], expected: ["ab", "cd"], width: 4)
        #expect(diff == "    0|ab\n-   1|cd\n+   1|xy")
        #expect(screenDiff(actual: ["ab"], expected: ["ab", ""], width: 4) != nil, "a missing line counts")
    }
}
