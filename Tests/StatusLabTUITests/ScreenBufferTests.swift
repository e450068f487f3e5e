import Testing
@testable import StatusLabTUI

@Suite struct ScreenBufferTests {
    @Test func textIsWrittenAndClipped() {
        var buffer = ScreenBuffer(size: Size(width: 10, height: 2))
        let end = buffer.write("hello world", x: 2, y: 0)
        #expect(end == 10)
        #expect(buffer.lines == ["  hello wo", "          "])
        buffer.write("abc", x: 0, y: 1, clip: Rect(x: 0, y: 1, width: 2, height: 1))
        #expect(buffer.line(1) == "ab")
    }

    @Test func wideCharactersTakeTwoCells() {
        var buffer = ScreenBuffer(size: Size(width: 6, height: 1))
        buffer.write("a界b", x: 0, y: 0)
        #expect(buffer[1, 0].symbol == "界")
        #expect(buffer[1, 0].width == 2)
        #expect(buffer[2, 0].isContinuation)
        #expect(buffer[3, 0].symbol == "b")
        #expect(buffer.line(0) == "a界b")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = ScreenBuffer(size: Size(width: 4, height: 1))
        buffer.write("界界", x: 0, y: 0)
        buffer.write("x", x: 1, y: 0)
        #expect(buffer.line(0) == " x界")
        buffer.write("y", x: 2, y: 0)
        #expect(buffer.line(0) == " xy")
    }

    @Test func aWideCharacterThatDoesNotFitIsNotSplit() {
        var buffer = ScreenBuffer(size: Size(width: 3, height: 1))
        buffer.write("ab界", x: 0, y: 0)
        #expect(buffer.line(0) == "ab")
    }

    @Test func changesListOnlyWhatDiffers() {
        var before = ScreenBuffer(size: Size(width: 5, height: 2))
        before.write("hello", x: 0, y: 0)
        var after = before
        after.write("J", x: 0, y: 0)
        after.write("界", x: 1, y: 1)
        let changes = after.changes(since: before)
        #expect(changes.map { "\($0.x),\($0.y),\($0.cell.symbol)" } == ["0,0,J", "1,1,界"])
        #expect(after.changes(since: after).isEmpty)
        #expect(after.changes(since: nil).count == 9)  // 10 cells, one is a continuation
    }

    @Test func stylesAreKeptPerCell() {
        var buffer = ScreenBuffer(size: Size(width: 4, height: 1))
        let red = Style(foreground: .red, attributes: .bold)
        buffer.write("ab", x: 0, y: 0, style: red)
        buffer.restyle(Rect(x: 1, y: 0, width: 3, height: 1)) { $0.adding(.reverse) }
        #expect(buffer[0, 0].style == red)
        #expect(buffer[1, 0].style == red.adding(.reverse))
        #expect(buffer[2, 0].style.attributes == .reverse)
    }
}
