import StatusLabCore
import Testing
@testable import StatusLabTUI

@Suite struct HomeScreenTests {
    @Test func homeOffersTheReferenceAndItsKeys() {
        let driver = Driver()
        #expect(driver.contains("Which status code should this response carry?"), "\(driver.dump)")
        #expect(driver.contains("[r] Reference"))
        #expect(driver.screen.line(23).hasPrefix(" ↑↓ move  Enter open  r reference  c cheat sheet  f flowchart  q quit"), "\(driver.dump)")
        #expect(driver.screen.line(23).hasSuffix("? help"))
    }

    @Test func enterOpensTheReferenceAndQQuits() {
        var driver = Driver()
        driver.press(.enter)
        #expect(driver.screen.line(0).hasPrefix(" StatusLab › Reference"))
        driver.press(.char("q"))
        #expect(driver.screen.line(0).hasPrefix(" StatusLab "))
        #expect(!driver.screen.line(0).contains("Reference"))
        #expect(driver.contains("[r] Reference"))
        #expect(!driver.app.isFinished)
        driver.press(.char("q"))
        #expect(driver.app.isFinished)
    }

    @Test func helpOverlayListsTheScreensKeys() {
        var driver = Driver()
        driver.press(.char("r"), .char("?"))
        #expect(driver.contains("Keys: Reference"), "\(driver.dump)")
        #expect(driver.contains("filter"))
        #expect(!driver.contains("switch pane"), "at 80 columns there is no preview to switch to")
        #expect(driver.contains("suspend"))
        driver.press(.escape)
        #expect(!driver.contains("Keys: Reference"))
        #expect(driver.screen.line(0).hasPrefix(" StatusLab › Reference"), "Esc closes help without leaving")
    }

    @Test func withThePreviewFocusedTheHelpNamesThePreviewsKeys() {
        var driver = Driver(size: Size(width: 120, height: 30))
        driver.press(.char("r"), .tab, .char("?"))
        #expect(driver.contains("Keys: Reference"), "\(driver.dump)")
        #expect(driver.contains("follow link"), "the page's keys work in the preview")
        #expect(driver.contains("n next link"), "Tab is the reference's, n still moves between links")
        #expect(!driver.contains("Bksp"), "the page's own back keys go back to the list, under Esc/q")
        #expect(driver.contains("back to the list") && driver.contains("switch pane"))
        #expect(!driver.contains("filter"), "the list's keys do not work there")
        driver.press(.escape, .backspace)
        #expect(driver.screen.line(0).hasPrefix(" StatusLab › Reference"), "Bksp leaves the preview for the list: \(driver.dump)")
        driver.press(.tab, .char("q"))
        #expect(driver.screen.line(0).hasPrefix(" StatusLab › Reference"), "so does q")
        driver.press(.char("q"))
        #expect(!driver.screen.line(0).contains("Reference"), "and q on the list goes home")
    }

    @Test func theHomeHelpNamesEachKeyOnce() {
        var driver = Driver()
        driver.press(.char("?"))
        #expect(driver.contains("Keys: Home"), "\(driver.dump)")
        let text = driver.screen.text
        #expect(text.components(separatedBy: "q      quit").count - 1 == 1, "\(driver.dump)")
        #expect(text.contains("↑↓     move") && !text.contains("move down"), "the down arrow is part of ↑↓")
        driver.press(.escape, .char("q"))
        #expect(driver.app.isFinished, "q still quits")
    }

    @Test func ctrlCQuitsFromAnywhere() {
        var driver = Driver()
        driver.press(.char("r"), .char("/"), .ctrl("c"))
        #expect(driver.app.isFinished)
    }
}

@Suite struct ReferenceScreenTests {
    @Test func listGroupsCodesByClassWithAPreviewWhenWide() {
        var driver = Driver(size: Size(width: 120, height: 30))
        driver.press(.char("r"))
        #expect(driver.contains("1xx Informational"), "\(driver.dump)")
        #expect(driver.contains("100 Continue"))
        #expect(driver.contains("Preview"))
        #expect(driver.contains("Pages (\(library.pages.count))"))
        var small = Driver(size: Size(width: 80, height: 24))
        small.press(.char("r"))
        #expect(!small.contains("Preview"))
    }

    @Test func codesAreColouredByClass() throws {
        var driver = Driver(size: Size(width: 80, height: 24))
        driver.press(.char("r"), .char("/"))
        driver.type("401")
        driver.press(.enter, .escape)  // accept, then clear: back to the full list, 401 still selected
        driver.press(.up)  // select 400 so 401 is drawn unselected
        let position = try #require(driver.screen.find("401 Unauthorized"))
        #expect(driver.screen[position.x, position.y].style.foreground == .yellow, "\(driver.dump)")
        let ok = try #require(driver.screen.find("204 No Content"))
        #expect(driver.screen[ok.x, ok.y].style.foreground == .green)
    }

    @Test func slashFiltersByWordsAndSelectsTheBestMatch() {
        var driver = Driver()
        driver.press(.char("r"), .char("/"))
        driver.type("hide")
        #expect(driver.contains("/ hide"), "\(driver.dump)")
        #expect(driver.contains("Matches ("))
        #expect(!driver.contains("100 Continue"))
        #expect(driver.screen.find("›404 Not Found") != nil, "\(driver.dump)")
        driver.press(.enter)  // keep the filter
        driver.press(.enter)  // open the page
        #expect(driver.screen.line(0).hasPrefix(" StatusLab › Reference › 404 Not Found"), "\(driver.dump)")
    }

    @Test func filteringByNumberAndByNameAndNothing() {
        var driver = Driver()
        driver.press(.char("r"), .char("/"))
        driver.type("forbidden")
        #expect(driver.screen.find("›403 Forbidden") != nil, "\(driver.dump)")
        driver.press(.ctrl("u"))
        driver.type("xyzzy")
        #expect(driver.contains("Nothing matches “xyzzy”."), "\(driver.dump)")
        driver.press(.escape)
        #expect(driver.contains("Pages (\(library.pages.count))"))
        #expect(!driver.contains("/ xyzzy"))
    }

    @Test func arrowsMoveWhileFiltering() {
        var driver = Driver()
        driver.press(.char("r"), .char("/"))
        driver.type("40")
        #expect(driver.screen.find("›400 Bad Request") != nil, "\(driver.dump)")
        driver.press(.down, .down)
        #expect(driver.screen.find("›402 Payment Required") != nil, "\(driver.dump)")
        driver.press(.up)
        #expect(driver.screen.find("›401 Unauthorized") != nil, "\(driver.dump)")
    }

    @Test func thePreviewScrollsToTheEndOfAPage() {
        var driver = Driver(size: Size(width: 120, height: 30))
        driver.press(.char("r"), .char("/"))
        driver.type("401")
        driver.press(.enter, .tab, .char("G"))
        let related = library.page(code: 401)!.related.compactMap { library.page($0)?.displayTitle }.last!
        #expect(driver.contains(String(related.prefix(10))), "the last related page shows\(driver.dump)")
    }

    @Test func typingQInTheFilterIsText() {
        var driver = Driver()
        driver.press(.char("r"), .char("/"))
        driver.type("q?")
        #expect(driver.contains("/ q?"), "\(driver.dump)")
        #expect(!driver.app.isFinished)
        #expect(!driver.app.showingHelp)
    }

    @Test func escClearsAFilterBeforeLeaving() {
        var driver = Driver()
        driver.press(.char("r"), .char("/"))
        driver.type("token")
        driver.press(.enter, .escape)
        #expect(driver.contains("Pages (\(library.pages.count))"), "\(driver.dump)")
        driver.press(.escape)
        #expect(driver.contains("[r] Reference"))
    }
}

@Suite struct PageScreenTests {
    func openPage(_ code: String, size: Size = Size(width: 80, height: 24)) -> Driver {
        var driver = Driver(size: size)
        driver.press(.char("r"), .char("/"))
        driver.type(code)
        driver.press(.enter, .enter)
        return driver
    }

    @Test func detailShowsTitleSummarySpecAndHeaders() {
        var driver = openPage("401")
        #expect(driver.screen.line(2).contains("401 Unauthorized   4xx Client Error"), "\(driver.dump)")
        #expect(driver.contains("Spec: RFC 9110 §15.5.2"))
        // The required header is further down: scroll until it shows.
        for _ in 0..<10 where !driver.contains("WWW-Authenticate (required)") { driver.press(.down) }
        #expect(driver.contains("WWW-Authenticate (required)"), "\(driver.dump)")
    }

    @Test func followingALinkAndComingBack() throws {
        var driver = openPage("401")
        driver.press(.tab)
        let focusedStyle = Theme.test.style(.focusedLink)
        let focused = driver.screen.cells.filter { $0.style == focusedStyle }.map(\.symbol).joined()
        #expect(!focused.isEmpty, "\(driver.dump)")
        let target = try #require(library.pages.first { focused.hasPrefix($0.displayTitle) || $0.displayTitle.hasPrefix(focused) })
        driver.press(.enter)
        #expect(driver.screen.line(0).contains("› 401 Unauthorized › \(target.displayTitle)"), "\(driver.dump)")
        driver.press(.escape)
        #expect(driver.screen.line(0).hasSuffix("401 Unauthorized") || driver.screen.line(0).contains("› 401 Unauthorized  "), "\(driver.dump)")
        #expect(driver.screen.cells.contains { $0.style == focusedStyle }, "the focused link is kept on return")
    }

    @Test func scrollingReachesTheEndAndTheRelatedLinks() {
        var driver = openPage("403")
        driver.press(.char("G"))
        #expect(driver.contains("Related"), "\(driver.dump)")
        #expect(driver.contains("401 Unauthorized"))
        driver.press(.char("g"))
        #expect(driver.contains("Spec: RFC 9110 §15.5.4"))
    }

    /// `b` is the flowchart's "back a step" alone; on a page, Space pages down and `u` (or PgUp)
    /// pages back up.
    @Test func spacePagesDownAndUPagesBackUp() {
        var driver = openPage("403")
        let top = driver.text
        driver.press(.char(" "))
        #expect(driver.text != top, "\(driver.dump)")
        driver.press(.char("b"))
        #expect(driver.text != top, "b is not page up on a page")
        driver.press(.char("u"))
        #expect(driver.text == top, "\(driver.dump)")
        #expect(PageScreen.keyTable.action(for: .char("b")) == nil)
    }
}

@Suite struct TerminalConditionsTests {
    @Test func tooSmallShowsAMessageAndRecovers() {
        var driver = Driver(size: Size(width: 80, height: 24))
        driver.press(.char("r"))
        driver.send(.resize(Size(width: 40, height: 12)))
        #expect(driver.contains("Terminal too small"), "\(driver.dump)")
        #expect(driver.contains("40x12, needs 50x14"))
        driver.press(.down)
        driver.send(.resize(Size(width: 80, height: 24)))
        #expect(driver.screen.line(0).hasPrefix(" StatusLab › Reference"), "\(driver.dump)")
        #expect(!driver.contains("too small"))
    }

    @Test func everyScreenDrawsAtEverySize() {
        let sizes = [(1, 1), (10, 3), (49, 13), (50, 14), (51, 15), (95, 20), (96, 40), (200, 60)]
        let roots: [(String, @Sendable () -> any Screen)] = [
            ("Home", { HomeScreen(library: library) }),
            ("Flowchart", { FlowchartScreen(diagram: library.diagram("auth")!, library: library, answers: ["yes", "no", "no"]) }),
            ("Quiz", { QuizScreen(library: library, saver: nil, progress: QuizProgress(), settings: QuizSettings(mode: .exam, count: 3, seed: 1)) }),
            ("Page", { PageScreen(page: library.page(code: 401)!, library: library) }),
        ]
        for (name, make) in roots {
            for (w, h) in sizes {
                var driver = Driver(size: Size(width: w, height: h), root: make())
                driver.press(.char("r"), .enter, .tab, .char("G"), .char("/"))
                driver.type("login")
                if w < App.minimumSize.width || h < App.minimumSize.height {
                    if w >= 20, h >= 3 { #expect(driver.contains("too small"), "\(name) \(w)x\(h)\(driver.dump)") }
                } else {
                    #expect(driver.screen.line(0).hasPrefix(" StatusLab"), "\(name) \(w)x\(h)\(driver.dump)")
                    #expect(driver.screen.line(h - 1).contains("help"), "\(name) \(w)x\(h)\(driver.dump)")
                }
            }
        }
    }

    @Test func monochromeUsesNoColours() {
        var driver = Driver(theme: Theme(color: false, unicode: true))
        driver.press(.char("r"))
        #expect(driver.screen.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
        #expect(driver.screen.cells.contains { $0.style.attributes.contains(.reverse) }, "the selection still shows")
    }

    @Test func asciiThemeDrawsNoBoxCharacters() {
        var driver = Driver(theme: Theme(color: false, unicode: false))
        driver.press(.char("r"))
        #expect(!driver.text.contains("─"))
        #expect(driver.text.contains("+-"))
    }
}

/// ux-walk-1: the essay's "A decision you can defend" on one screen, from home and `explain`.
@Suite struct CheatSheetTests {
    @Test func homeOpensTheCheatSheetWhichFitsOneScreen() throws {
        var driver = Driver(size: Size(width: 100, height: 30), root: HomeScreen(library: library))
        #expect(driver.contains("[c] Cheat sheet"), "\(driver.dump)")
        driver.press(.char("c"))
        #expect(driver.screen.line(0).contains("Cheat sheet: who gets in"), "\(driver.dump)")
        #expect(driver.contains("1. Public?"), "\(driver.dump)")
        #expect(driver.contains("9. All passed"), "the order of checks fits one 100x30 screen: \(driver.dump)")
    }
}

/// ux-walk-1: `/` on a reference page finds a word, as less does.
@Suite struct FindOnAPageTests {
    @Test func slashFindsAWordHighlightsItAndEnterGoesToTheNext() throws {
        var driver = Driver(size: Size(width: 80, height: 24), root: PageScreen(page: library.page("401-or-403")!, library: library))
        #expect(!driver.contains("Cheat") && !driver.contains("A decision you can defend"), "the section is further down")
        driver.press(.char("/"))
        driver.type("defend")
        #expect(driver.contains("/defend"), "\(driver.dump)")
        driver.press(.enter)
        // The first match is in the summary, already in view; the status line says how many.
        let status = try #require((0..<24).map { driver.screen.line($0) }.first { $0.contains("“defend”:") }, "\(driver.dump)")
        #expect(status.contains("2 lines · / Enter for the next"))
        let at = try #require(driver.screen.find("defend"))
        #expect(driver.screen[at.x, at.y].style == Theme.test.style(.selection), "the match is highlighted")
        // Again: the next line with the word, far down the page.
        driver.press(.char("/"), .enter)
        #expect(driver.contains("A decision you can defend"), "\(driver.dump)")
        driver.press(.char("/"))
        driver.press(.ctrl("u"))
        driver.type("xyzzy")
        driver.press(.enter)
        #expect(driver.contains("“xyzzy” is not on this page"), "\(driver.dump)")
        driver.press(.char("/"), .char("?"))
        #expect(driver.contains("/xyzzy?"), "? is typed into the prompt, not the help")
        driver.press(.escape)
        #expect(!driver.app.showingHelp)
    }
}

/// ux-walk-1 L8: Esc, pressed twice to "get home", quit the program from home.
@Suite struct HomeEscTests {
    @Test func escOnHomeDoesNotQuitButQDoes() {
        var driver = Driver()
        driver.press(.escape)
        #expect(!driver.app.isFinished)
        driver.press(.char("q"))
        #expect(driver.app.isFinished)
    }

    /// Quit is an entry of its own kind: chosen with the arrows and Enter, it quits as `q` does.
    @Test func theQuitEntryQuitsWhenChosen() {
        var driver = Driver()
        for _ in 0..<20 { driver.press(.down) }
        #expect(driver.contains("› [q] Quit") || driver.contains("> [q] Quit"), "\(driver.dump)")
        driver.press(.enter)
        #expect(driver.app.isFinished)
    }
}
