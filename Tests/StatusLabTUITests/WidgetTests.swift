import StatusLabCore
import Testing
@testable import StatusLabTUI

@Suite struct WidgetTests {
    @Test func listSkipsHeadersAndStopsAtTheEnds() {
        var list = SelectableList()
        list.setRows([.header("A"), .item(id: "1", runs: [StyledRun("one")]), .header("B"),
                      .item(id: "2", runs: [StyledRun("two")])])
        #expect(list.selectedID == "1")
        list.move(by: 1)
        #expect(list.selectedID == "2")
        list.move(by: 5)
        #expect(list.selectedID == "2")
        list.moveToStart()
        #expect(list.selectedID == "1")
        list.select(id: "2")
        list.setRows([.item(id: "3", runs: []), .item(id: "2", runs: [])])
        #expect(list.selectedID == "2", "selection survives filtering")
    }

    @Test func listScrollsToKeepTheSelectionVisible() {
        var list = SelectableList()
        list.setRows((0..<20).map { .item(id: "\($0)", runs: [StyledRun("item \($0)")]) })
        list.move(by: 15)
        var buffer = ScreenBuffer(size: Size(width: 12, height: 5))
        list.draw(into: &buffer, area: buffer.area, focused: true, theme: .test)
        #expect(buffer.line(4).hasPrefix("›item 15"))
        #expect(buffer[0, 4].style == Theme.test.style(.selection).adding(.bold))
    }

    @Test func textInputEdits() {
        var input = TextInput()
        for c in "hide it" { _ = input.handle(.char(c)) }
        #expect(input.text == "hide it")
        _ = input.handle(.backspace)
        _ = input.handle(.left)
        _ = input.handle(.char("X"))
        #expect(input.text == "hide Xi")
        _ = input.handle(.ctrl("w"))
        #expect(input.text == "hide i")
        _ = input.handle(.home)
        _ = input.handle(.delete)
        #expect(input.text == "ide i")
        _ = input.handle(.ctrl("e"))
        _ = input.handle(.ctrl("u"))
        #expect(input.text == "")
        #expect(input.handle(.up) == false)
    }

    @Test func richTextWrapsAndNumbersLinks() {
        let document = Document(blocks: [
            .heading("Title"),
            .paragraph([.text("Go to ", .plain), .link(target: "403", label: "403 Forbidden"),
                        .text(" or ", .plain), .link(target: "404", label: "404 Not Found"), .text(".", .plain)]),
            .code(["HTTP/1.1 401 Unauthorized"]),
        ])
        let layout = RichTextLayout(document, width: 20, theme: .test)
        let text = layout.lines.map { line in String(repeating: " ", count: line.indent) + line.runs.map(\.text).joined() }
        #expect(text == ["Title", "Go to 403 Forbidden", "or 404 Not Found.", "", "  HTTP/1.1 401 Unauthorized"])
        #expect(layout.links.map(\.target) == ["403", "404"])
        #expect(layout.links.map(\.line) == [1, 2])

        var buffer = ScreenBuffer(size: Size(width: 20, height: 3))
        layout.draw(into: &buffer, area: buffer.area, offset: 1, focusedLink: 1, theme: .test)
        #expect(buffer.line(0) == "Go to 403 Forbidden")
        #expect(buffer[6, 0].style == Theme.test.style(.link))
        #expect(buffer[3, 1].style == Theme.test.style(.focusedLink))
    }

    @Test func aLinkWrappedOverLinesIsOneLinkAndNeighboursStayApart() {
        let document = Document(blocks: [
            .paragraph([.link(target: "401", label: "401 Unauthorized with a long label"),
                        .link(target: "401", label: "again")]),
        ])
        let layout = RichTextLayout(document, width: 16, theme: .test)
        #expect(layout.links.map(\.target) == ["401", "401"], "two links to one page, side by side, stay two")
        #expect(layout.links.map(\.line) == [0, 2])
        let numbers = layout.lines.flatMap { $0.runs.compactMap(\.link) }
        #expect(Set(numbers) == [0, 1], "the wrapped label's pieces all belong to link 0: \(numbers)")
    }

    @Test func framesUseUnicodeOrAscii() {
        var buffer = ScreenBuffer(size: Size(width: 8, height: 3))
        Chrome.frame(into: &buffer, area: buffer.area, title: nil, focused: false, theme: Theme(color: false, unicode: true))
        #expect(buffer.lines == ["┌──────┐", "│      │", "└──────┘"])
        Chrome.frame(into: &buffer, area: buffer.area, title: nil, focused: false, theme: Theme(color: false, unicode: false))
        #expect(buffer.lines == ["+------+", "|      |", "+------+"])
    }

    @Test func helpBarIsBuiltFromTheKeyTable() {
        enum Action: Sendable { case a, b, c }
        let table = KeyTable<Action>([
            KeyBinding([.char("/")], "/", "filter", .a),
            KeyBinding([.enter], "Enter", "open", .b),
            KeyBinding([.char("x")], "x", "hidden", .c, inBar: false),
        ])
        #expect(table.action(for: .enter) == .b)
        #expect(table.action(for: .char("z")) == nil)
        var buffer = ScreenBuffer(size: Size(width: 30, height: 1))
        Chrome.helpBar(into: &buffer, area: buffer.area, keys: table.help, theme: .test)
        #expect(buffer.line(0) == " / filter  Enter open")
    }

    @Test func scrollStateClampsAndReveals() {
        var scroll = ScrollState()
        scroll.scroll(by: 100, contentHeight: 30, viewHeight: 10)
        #expect(scroll.offset == 20)
        scroll.reveal(line: 3, contentHeight: 30, viewHeight: 10)
        #expect(scroll.offset == 3)
        scroll.reveal(line: 15, contentHeight: 30, viewHeight: 10)
        #expect(scroll.offset == 6)
    }
}

/// The characters after an Esc that ncurses did not recognise, read as the raw bytes arrive.
@Suite struct EscapeSequenceTests {
    func read(_ text: String) -> EscapeSequence.Reading { EscapeSequence.read(Array(text)) }

    @Test func knownSequencesNameTheirKeyAndUnknownOnesNothing() {
        #expect(read("[1~") == .complete(.home))
        #expect(read("[4~") == .complete(.end))
        #expect(read("[1;5H") == .complete(.home), "a modifier keeps the key")
        #expect(read("OH") == .complete(.home))
        #expect(read("[6~") == .complete(.pageDown))
        #expect(read("[99~") == .complete(nil))
        #expect(read("OZ") == .complete(nil))
        #expect(read("[200~") == .complete(nil), "bracketed paste's start is ignored, not Esc")
    }

    @Test func aSequenceIsReadUntilItsFinalByte() {
        #expect(read("") == .incomplete)
        #expect(read("[") == .incomplete)
        #expect(read("[1") == .incomplete)
        #expect(read("[1;") == .incomplete)
        #expect(read("O") == .incomplete)
        #expect(read("[" + String(repeating: "1", count: 20)) == .complete(nil), "a runaway sequence ends")
    }

    @Test func escFollowedByAnythingElseIsEsc() {
        #expect(read("q") == .notASequence)
        #expect(read("\u{1B}") == .notASequence)
    }
}

/// ux-walk-1 L7 and ML5: HTML reads as its text, line by line; a cut title says it was cut.
@Suite struct SmallTextTests {
    @Test func htmlReadsAsItsTextWithoutTheRepeatedTitle() {
        let page = "<!doctype html><title>Log in</title><h1>Log in</h1><form method=\"post\"><label>User <input name=\"user\"></label> "
            + "<label>Password <input name=\"password\"></label><button>Log in</button></form><p>a &amp; b</p>\n"
        #expect(ContentRows.htmlAsText(page) == "Log in\nUser Password Log in\na & b")
    }

    @Test func aTitleThatDoesNotFitEndsWithAnEllipsis() {
        #expect(DisplayWidth.fitting("5. Send a token that has expired", width: 20) == "5. Send a token tha…")
        #expect(DisplayWidth.fitting("short", width: 20) == "short")
        #expect(DisplayWidth.of(DisplayWidth.fitting("名前名前名前", width: 7)) <= 7)
    }
}
