import Testing
@testable import StatusLabCore

@Suite struct TextTests {
    @Test func displayWidths() {
        #expect(DisplayWidth.of("A" as Character) == 1)
        #expect(DisplayWidth.of("界" as Character) == 2)
        #expect(DisplayWidth.of("🙂" as Character) == 2)
        #expect(DisplayWidth.of("é" as Character) == 1)
        #expect(DisplayWidth.of("\u{301}" as Character) == 0)
        #expect(DisplayWidth.of("§—…") == 3)
        #expect(DisplayWidth.of("日本語 ok") == 9)
    }

    func text(_ lines: [[StyledRun]]) -> [String] { lines.map { $0.map(\.text).joined() } }

    @Test func wrapsAtWordsWithinTheWidth() {
        let lines = TextWrapper.wrap([StyledRun("the quick brown fox jumps over the lazy dog")], width: 12)
        #expect(text(lines) == ["the quick", "brown fox", "jumps over", "the lazy dog"])
    }

    @Test func keepsStylesAcrossRunsAndBreaksLongWords() {
        let runs = [StyledRun("see "), StyledRun("WWW-Authenticate", .code), StyledRun(" now")]
        let lines = TextWrapper.wrap(runs, width: 10)
        #expect(text(lines) == ["see", "WWW-Authen", "ticate now"])
        #expect(lines[1][0].style == .code)
        #expect(lines[2].map(\.style) == [.code, .plain])
    }

    @Test func wideCharactersCountTwice() {
        let lines = TextWrapper.wrap([StyledRun("日本語 日本語")], width: 7)
        #expect(text(lines) == ["日本語", "日本語"])
    }

    @Test func indentsNarrowTheLines() {
        let lines = TextWrapper.wrap([StyledRun("aaa bbb ccc")], width: 9, indent: 2, hangingIndent: 2)
        #expect(text(lines) == ["aaa bbb", "ccc"])
    }
}

@Suite struct PlainRendererTests {
    @Test func explainingFourOhOneNamesTheChallengeAndTheSpec() throws {
        let page = try #require(builtInLibrary.page(code: 401))
        let output = PlainRenderer(width: 80, color: false)
            .render(title: page.displayTitle, statusClass: page.statusClass, document: PageDocument.document(for: page, in: builtInLibrary))
        #expect(output.hasPrefix("401 Unauthorized\n================\n"))
        #expect(output.contains("WWW-Authenticate (required)"))
        #expect(output.contains("RFC 9110 §15.5.2"))
        #expect(output.contains("HTTP/1.1 401 Unauthorized"))
        #expect(output.contains("Related\n"))
        #expect(!output.contains("\u{1B}["))
        for line in output.split(separator: "\n") where !line.hasPrefix("    ") {
            #expect(DisplayWidth.of(line) <= 80, "too wide: \(line)")
        }
    }

    @Test func colourIsOnlyAddedWhenAsked() throws {
        let page = try #require(builtInLibrary.page(code: 404))
        let document = PageDocument.document(for: page, in: builtInLibrary)
        let coloured = PlainRenderer(width: 80, color: true).render(title: page.displayTitle, statusClass: page.statusClass, document: document)
        #expect(coloured.hasPrefix("\u{1B}[1;33m404 Not Found\u{1B}[0m"))
    }
}
