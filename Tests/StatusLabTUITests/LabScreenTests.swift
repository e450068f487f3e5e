import Foundation
import StatusLabClient
import StatusLabCore
import StatusLabServer
import Testing
@testable import StatusLabTUI

/// The Lab against the real built-in server on a free port, driven with keys.
@Suite(.serialized) struct LabScreenTests {
    func lab(size: Size = Size(width: 100, height: 30)) throws -> (Driver, LiveLabBackend, URL) {
        let backend = LiveLabBackend(diagrams: try ServerDiagrams(library), port: 0)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lab-\(UUID().uuidString)")
        let history = LabHistory.store(folder.appendingPathComponent("lab-history.json"))
        let home = HomeScreen(library: library, lab: { LabScreen(backend: backend, library: library, history: history) })
        return (Driver(size: size, root: home), backend, folder)
    }

    @Test func clicksSwitchViewsAndOpenAHeadersPage() async throws {
        var (driver, backend, folder) = try lab()
        defer { try? FileManager.default.removeItem(at: folder) }
        driver.click("[l] Lab")
        await driver.settle()
        driver.click("s send  q leave")
        await driver.settle()
        #expect(driver.contains("HTTP/1.1 401 Unauthorized"), "\(driver.dump)")
        driver.click("3 Wire")
        #expect(driver.contains("GET /api/profile HTTP/1.1␍␊"), "\(driver.dump)")
        driver.click("1 Response")
        driver.click("WWW-Authenticate:")
        #expect(driver.screen.line(0).contains("WWW-Authenticate"), "a header line opens its page: \(driver.dump)")
        driver.press(.char("q"))
        driver.press(.char("q"))
        await driver.settle()
        await backend.shutdown()
    }

    @Test func sendSeeTheChallengeTheDecisionTheWireAndTheHistory() async throws {
        var (driver, backend, folder) = try lab()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(driver.contains("[l] Lab"))
        driver.press(.char("l"))
        await driver.settle()
        #expect(driver.contains("Built-in server: http://127.0.0.1:"), "\(driver.dump)")
        driver.press(.char("s"))
        await driver.settle()
        #expect(driver.contains("HTTP/1.1 401 Unauthorized"), "\(driver.dump)")
        #expect(driver.contains(#"WWW-Authenticate: Bearer realm="statuslab""#))
        #expect(driver.contains("Problem details (RFC 9457)"))

        driver.press(.char("2"))
        #expect(driver.contains("Decided by the auth diagram"), "\(driver.dump)")
        #expect(driver.contains("1. Is this URL in an area anyone may see without logging in? → no"))
        #expect(driver.contains("⇒ 401 Unauthorized  no credentials: challenge"))

        driver.press(.char("3"))
        #expect(driver.contains("GET /api/profile HTTP/1.1␍␊"), "\(driver.dump)")
        #expect(driver.contains("HTTP/1.1 401 Unauthorized␍␊"))

        // Bearer with an expired token, chosen in the picker.
        driver.press(.char("a"))
        #expect(driver.contains("Bearer alice-expired-token (expired)"), "\(driver.dump)")
        let key = try #require(LiveLabBackend.demoPresets.first { $0.label.contains("alice-expired-token") }?.key)
        driver.press(.char(key), .char("s"))
        await driver.settle()
        driver.press(.char("1"))
        #expect(driver.contains(#"WWW-Authenticate: Bearer realm="statuslab", error="invalid_token""#), "\(driver.dump)")
        driver.press(.char("2"))
        #expect(driver.contains("⇒ 401 Unauthorized  token expired"), "\(driver.dump)")

        driver.press(.char("5"))
        #expect(driver.contains("GET /api/profile 401  Bearer alice-expired-token"), "\(driver.dump)")
        #expect(driver.contains("GET /api/profile 401  no credentials"))

        driver.press(.char("c"))
        #expect(driver.contains("curl -i -H 'Authorization: Bearer alice-expired-token' http://127.0.0.1:"), "\(driver.dump)")
        #expect(driver.pendingClipboard.first?.hasPrefix("curl -i -H 'Authorization: Bearer alice-expired-token'") == true)
        driver.press(.char("x"))

        driver.press(.char("f"))
        #expect(driver.screen.line(0).contains("Flowchart: auth"), "\(driver.dump)")
        #expect(driver.contains("HTTP/1.1 401 Unauthorized"))
        #expect(driver.contains("error=\"invalid_token\""))
        driver.press(.escape)
        #expect(driver.screen.line(0).contains("Lab"))

        // Leaving the Lab stops its server.
        let url = try #require(driver.text.firstMatch(of: /http:\/\/127\.0\.0\.1:(\d+)/)).0
        driver.press(.char("q"))
        await driver.settle()
        let after = await backend.send(LabRequest(url: "/api/profile"), base: String(url))
        // Nothing answers any more: no response, a connection failure (refused; once, under the
        // full suite's load, a reset), and the backend has no server.
        #expect(after.final?.response == nil && after.final?.failure?.contains("connection") == true,
                "\(String(describing: after.final?.failure))")
        #expect(backend.serverURL == nil)
        // The history was kept.
        let saved = LabHistory.store(folder.appendingPathComponent("lab-history.json")).load().value
        #expect(saved?.entries.count == 2)
    }

    @Test func headersOpenTheirReferencePagesAndRedirectsAreFollowed() async throws {
        var (driver, _, folder) = try lab()
        defer { try? FileManager.default.removeItem(at: folder) }
        driver.press(.char("l"))
        await driver.settle()
        driver.press(.char("u"))
        driver.press(.ctrl("u"))
        driver.type("/app/no")
        driver.press(.tab)
        #expect(driver.contains("URL: /app/notes"), "completion: \(driver.dump)")
        // ux-walk-1 L1: a pattern completes with the demo world's values; M replaces the method.
        driver.press(.ctrl("u"))
        driver.type("/api/no")
        driver.press(.tab)
        #expect(driver.contains("URL: /api/notes/1"), "\(driver.dump)")
        driver.press(.ctrl("u"))
        driver.type("/app/no")
        driver.press(.tab)
        driver.press(.enter, .char("s"))
        await driver.settle()
        #expect(driver.contains("HTTP/1.1 303 See Other"), "\(driver.dump)")
        #expect(driver.contains("Location: /app/login?next=%2Fapp%2Fnotes"))
        driver.press(.down)  // the first header line that has a page: Location
        driver.press(.enter)
        #expect(driver.screen.line(0).contains("Location"), "\(driver.dump)")
        driver.press(.escape)
        driver.press(.char("g"))
        await driver.settle()
        #expect(driver.contains("GET http://127.0.0.1:"), "\(driver.dump)")
        #expect(driver.contains("HTTP/1.1 200 OK"))
        #expect(driver.contains("Log in"))
        driver.press(.char("q"))
        await driver.settle()
    }

    @Test func longHeaderValuesWrapAtSpacesUnderTheirName() {
        let challenge = #"Bearer realm="statuslab", error="invalid_token", error_description="The access token expired""#
        let response = WireResponse(version: "HTTP/1.1", status: 401, reason: "Unauthorized",
                                    headers: [.init(name: "WWW-Authenticate", value: challenge)], body: [])
        let exchange = WireExchange(sent: [], received: [], response: response, failure: nil, duration: .milliseconds(1))
        let rows = LabViews.response(exchange, result: nil, library: library, width: 40, now: Date(), theme: Theme(color: false, unicode: true))
            .map { $0.runs.map(\.0).joined() }
        let header = Array(rows.drop { !$0.hasPrefix("WWW-Authenticate:") }.prefix { !$0.isEmpty })
        #expect(header == [#"WWW-Authenticate: Bearer"#, #"  realm="statuslab","#, #"  error="invalid_token","#,
                           #"  error_description="The access token"#, #"  expired""#], "\(rows)")
        #expect(rows.allSatisfy { DisplayWidth.of($0) <= 40 }, "no row is wider than the view")
    }

    @Test func aMalformedURLOrHeaderIsRefusedInTheComposer() async throws {
        var (driver, _, folder) = try lab(size: Size(width: 80, height: 24))
        defer { try? FileManager.default.removeItem(at: folder) }
        driver.press(.char("l"))
        await driver.settle()
        driver.press(.char("+"))
        driver.type("no colon here")
        driver.press(.enter)
        #expect(driver.contains("A header line is `Name: value`."), "\(driver.dump)")
        driver.press(.escape, .char("u"), .ctrl("u"))
        driver.type("ftp://example.test/")
        driver.press(.enter, .char("s"))
        #expect(driver.contains("Not sent: ftp:// is not supported here"), "\(driver.dump)")
        driver.press(.char("q"))
        await driver.settle()
    }

    /// On the Log tab, and in the response view before the Lab has sent anything: an outside
    /// request is seen at once either way.
    @Test(arguments: [true, false]) func theLiveLogShowsExchangesFromOutside(onLogTab: Bool) async throws {
        let backend = LiveLabBackend(diagrams: try ServerDiagrams(library), port: 0)
        let screen = LabScreen(backend: backend, library: library, history: nil)
        let size = Size(width: 100, height: 30)
        // A client outside the Lab, once the server is up.
        Task.detached {
            for _ in 0..<200 {
                if let url = await Self.url(of: backend) {
                    for path in ["/api/public", "/nope"] { _ = await LabClient().send(LabRequest(url: url + path), base: nil) }
                    return
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        let terminal = TestTerminal(size: size, events: onLogTab ? [.key(.char("4"))] : [], until: { screen in
            screen.text.contains("GET /api/public 200") && screen.text.contains("GET /nope 404  status/not-found")
        }, timeout: 30)
        let start = screen.startCommands
        await onItsOwnThread {
            var app = App(root: screen, size: size, theme: .test)
            Runner.run(&app, backend: terminal, pollMilliseconds: 20, startWith: start)
        }
        let text = terminal.screen.text
        #expect(text.contains("GET /api/public 200"), "\(text)")
        #expect(text.contains("4 Log (2)"))
        #expect(text.contains("Nothing sent from the Lab yet") == !onLogTab, "\(text)")
        await backend.stopServer()
    }

    /// ux-walk-1 H3: at 80x24 the help bar showed composing keys only and the `?` box lost
    /// Enter, g, f, c and q and could not scroll. The bar now shows what matters in the state
    /// the Lab is in, and the box scrolls to every key.
    @Test func atEightyByTwentyFourEveryKeyCanBeFound() async throws {
        var (driver, _, folder) = try lab(size: Size(width: 80, height: 24))
        defer { try? FileManager.default.removeItem(at: folder) }
        driver.press(.char("l"))
        await driver.settle()
        let before = driver.screen.line(23)
        #expect(before.contains("s send") && before.contains("q leave") && before.contains("a credentials"), "\(before)")
        driver.press(.char("s"))
        await driver.settle()
        let after = driver.screen.line(23)
        for entry in ["Enter open reference", "f flowchart", "c copy as curl", "s send", "q leave"] {
            #expect(after.contains(entry), "after a response the bar offers \(entry): \(after)")
        }
        driver.press(.char("?"))
        #expect(driver.contains("↑↓ PgDn more"), "\(driver.dump)")
        var seen = driver.text
        for _ in 0..<4 {
            driver.press(.pageDown)
            seen += driver.text
        }
        for key in ["Enter  open reference", "g      follow Location", "f      flowchart", "c      copy as curl", "q      leave",
                    "^Z     suspend", "^C     quit StatusLab"] {
            #expect(seen.contains(key), "the ? box reaches \(key)")
        }
        driver.press(.escape)
        #expect(!driver.contains("Esc or ? closes"))
        driver.press(.char("q"))
        await driver.settle()
    }

    /// ux-walk-1 M2: after a Basic request, `f` showed the outcome with a Bearer invalid_token
    /// challenge the server never sent. The flowchart opened from an exchange shows its headers.
    @Test func theFlowchartFromAnExchangeShowsWhatTheServerSent() async throws {
        var (driver, _, folder) = try lab(size: Size(width: 100, height: 40))
        defer { try? FileManager.default.removeItem(at: folder) }
        driver.press(.char("l"))
        await driver.settle()
        driver.press(.char("a"))
        let key = try #require(LiveLabBackend.demoPresets.first { $0.label == "Basic as alice, wrong password" }?.key)
        driver.press(.char(key), .char("s"))
        await driver.settle()
        #expect(driver.contains(#"WWW-Authenticate: Basic realm="statuslab""#), "\(driver.dump)")
        // The composer changes: the answer below is said to be the earlier request's.
        driver.press(.char("a"), .char("0"))
        #expect(driver.contains("The answer to the request sent before (GET /api/profile, Basic alice:wrong)"), "\(driver.dump)")
        driver.press(.char("a"), .char(key))
        #expect(!driver.contains("The answer to the request sent before"))
        driver.press(.char("f"))
        #expect(driver.contains("Outcome after"), "\(driver.dump)")
        #expect(driver.contains("As this server sent it:"))
        #expect(driver.contains(#"WWW-Authenticate: Basic realm="statuslab", charset="UTF-8""#), "\(driver.dump)")
        #expect(!driver.contains("WWW-Authenticate: Bearer"), "no Bearer challenge the server never sent")
        driver.press(.escape, .char("q"))
        await driver.settle()
    }

    /// ux-walk-1 M6: the Wire view cut Set-Cookie's attributes and the Decision view cut the
    /// answers at 80 columns. Both wrap now.
    @Test func wireAndDecisionWrapAtEighty() async throws {
        var (driver, _, folder) = try lab(size: Size(width: 80, height: 24))
        defer { try? FileManager.default.removeItem(at: folder) }
        driver.press(.char("l"))
        await driver.settle()
        driver.press(.char("a"))
        let wrong = try #require(LiveLabBackend.demoPresets.first { $0.label == "Basic as alice, wrong password" }?.key)
        driver.press(.char(wrong), .char("s"))
        await driver.settle()
        driver.press(.char("2"))
        var seen = driver.text
        for _ in 0..<3 { driver.press(.pageDown); seen += driver.text }
        let flat = seen.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        #expect(flat.contains("Unknown user, wrong password or a token the server never issued"), "\(seen)")
        driver.press(.char("a"), .char("w"), .char("s"))
        await driver.settle()
        driver.press(.char("3"))
        seen = driver.text
        for _ in 0..<8 { driver.press(.pageDown); seen += driver.text }
        #expect(seen.contains("SameSite=Lax"), "the cookie's attributes are on the Wire: \(seen)")
        driver.press(.char("q"))
        await driver.settle()
    }

    /// ux-walk-1: `/` finds a word in the response and on the wire.
    @Test func slashFindsInTheResponseAndTheWire() async throws {
        var (driver, _, folder) = try lab(size: Size(width: 80, height: 24))
        defer { try? FileManager.default.removeItem(at: folder) }
        driver.press(.char("l"))
        await driver.settle()
        driver.press(.char("s"))
        await driver.settle()
        driver.press(.char("/"))
        driver.type("realm")
        #expect(driver.contains("/realm"), "\(driver.dump)")
        driver.press(.enter)
        let status = try #require((0..<24).map { driver.screen.line($0) }.first { $0.contains("“realm”:") }, "\(driver.dump)")
        #expect(status.contains("/ Enter for the next"))
        let at = try #require(driver.screen.find("realm"))
        #expect(driver.screen[at.x, at.y].style == Theme.test.style(.selection), "\(driver.dump)")
        driver.press(.char("3"), .char("/"))
        driver.press(.ctrl("u"))
        driver.type("Content-Length")
        driver.press(.enter)
        #expect(driver.contains("“Content-Length”: 1 line"), "only the response sends one: \(driver.dump)")
        driver.press(.char("q"))
        await driver.settle()
    }

    @Test func typingAMethodReplacesTheOneThere() async throws {
        var (driver, _, folder) = try lab()
        defer { try? FileManager.default.removeItem(at: folder) }
        driver.press(.char("l"))
        await driver.settle()
        driver.press(.char("M"))
        driver.type("PURGE")
        driver.press(.enter)
        #expect(driver.contains("PURGE /api/profile") && !driver.contains("GETPURGE"), "\(driver.dump)")
        driver.press(.char("M"), .enter)
        #expect(driver.contains("PURGE /api/profile"), "Enter with nothing typed keeps the method")
        driver.press(.char("q"))
        await driver.settle()
    }

    /// content-audit-2: at 120 columns three ↓ highlighted one header and Enter opened another,
    /// because keys laid the rows out at 80. Whatever the width, Enter opens the highlighted row.
    @Test(arguments: [80, 120]) func enterOpensTheHeaderThatIsHighlighted(width: Int) async throws {
        var (driver, _, folder) = try lab(size: Size(width: width, height: 40))
        defer { try? FileManager.default.removeItem(at: folder) }
        driver.press(.char("l"))
        await driver.settle()
        driver.press(.char("a"))
        let key = try #require(LiveLabBackend.demoPresets.first { $0.label.contains("alice-expired-token") }?.key)
        driver.press(.char(key), .char("s"))
        await driver.settle()
        #expect(driver.contains(#"error="invalid_token""#), "\(driver.dump)")
        let selection = Theme.test.style(.selection)
        var opened = 0
        for downs in 1...3 {
            driver.press(.down)
            // The highlighted row, below the tab bar (which has a highlight of its own).
            let tabs = try #require((0..<40).first { driver.screen.line($0).contains("1 Response  2 Decision") })
            let row = try #require(((tabs + 1)..<40).first { y in (0..<width).contains { driver.screen[$0, y].style == selection } },
                                   "\(downs) ↓ highlight nothing: \(driver.dump)")
            // A long header wraps under its name: its first line names it.
            var first = row
            while first > tabs + 1, driver.screen.line(first).hasPrefix("   ") { first -= 1 }
            let text = driver.screen.line(first).trimmingCharacters(in: .whitespaces)
            // A header opens its own page, Content-Type and the body the page on problem details.
            let page = text.hasPrefix("Content-Type") || text.hasPrefix("Problem details") ? "Problem Details"
                : String(text.split(separator: ":").first ?? "")
            driver.press(.enter)
            #expect(driver.screen.line(0).contains(page), "\(width) columns, \(downs) ↓: highlighted \(text), opened \(driver.screen.line(0))")
            opened += 1
            driver.press(.escape)
        }
        #expect(opened == 3)
        driver.press(.char("q"))
        await driver.settle()
    }

    @Test func aLogEntryShowsItsResponseContentAndAll() async throws {
        var (driver, backend, folder) = try lab()
        defer { try? FileManager.default.removeItem(at: folder) }
        driver.press(.char("l"))
        await driver.settle()
        // A request from outside the Lab; its exchange comes in as the log poller would bring it.
        let url = try #require(backend.serverURL)
        _ = await LabClient().send(LabRequest(url: url + "/nope"), base: nil)
        let (entries, missed) = backend.logEntries(after: 0, limit: 100)
        driver.send(.routed(origin: 2, event: .message(LabScreen.Message.log(entries, missed: missed))))
        driver.press(.char("4"))
        #expect(driver.contains("GET /nope 404"), "\(driver.dump)")
        driver.press(.enter)
        #expect(driver.contains("From the log: GET /nope"), "\(driver.dump)")
        #expect(driver.contains("HTTP/1.1 404 Not Found"))
        #expect(driver.contains("Problem details (RFC 9457)"), "the content the log kept")
        #expect(driver.contains("type: https://statuslab.invalid/problems/not-found"))
        driver.press(.char("q"))
        await driver.settle()
    }

    /// `lab --open`: a FastAPI recording judged; its findings marked in the log, shown with the
    /// exchange, walked on the flowchart as the model would answer; `w` writes the log back out.
    @Test func aJudgedRecordingOpensInTheLogWithItsFindings() async throws {
        let har = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/traffic/fastapi-0.121.har")
        let entries = try TrafficJudge.judgedEntries(try Data(contentsOf: har), auth: try #require(library.diagram("auth")))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lab-open-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var screen = LabScreen(backend: LiveLabBackend(diagrams: try ServerDiagrams(library), port: 0), library: library, history: nil,
                               opened: ("fastapi-0.121.har", entries))
        screen.exportFolder = folder
        var driver = Driver(size: Size(width: 100, height: 40), root: screen)
        #expect(driver.contains("Opened fastapi-0.121.har: 46 exchanges"), "\(driver.dump)")
        #expect(driver.contains("Log (46)"))
        #expect(driver.contains("! 401 without a challenge"), "\(driver.dump)")
        // The log is newest first: the first exchange, an anonymous GET /notes, is at the bottom.
        for _ in 0..<45 { driver.press(.down) }
        driver.press(.enter)
        #expect(driver.contains("From the log: GET http://127.0.0.1:58717/notes"), "\(driver.dump)")
        #expect(driver.contains("! 403 without credentials: expected 401 (no credentials: challenge)"), "\(driver.dump)")
        #expect(driver.contains("HTTP/1.1 403"))
        driver.press(.char("f"))
        #expect(driver.contains("Outcome after 5 steps: no credentials: challenge"), "\(driver.dump)")
        #expect(!driver.contains("As this server sent it"), "the model's answer, not what FastAPI sent")
        driver.press(.char("q"), .char("4"), .char("w"))
        await driver.settle()
        let written = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        #expect(written.count == 1 && written[0].lastPathComponent.hasPrefix("statuslab-log-"))
        #expect(driver.contains("Wrote 46 exchanges to"), "\(driver.dump)")
        var count = 0
        try TrafficFile.read(try Data(contentsOf: written[0])) { _ in count += 1 }
        #expect(count == 46)
    }

    static func url(of backend: LiveLabBackend) async -> String? {
        let (entries, _) = backend.logEntries(after: 0, limit: 1)
        _ = entries
        return backend.serverURL
    }
}

@Suite struct RoutedResultTests {
    /// A screen whose effect finishes while another screen is on top still gets its result.
    struct Origin: Screen {
        var title: String { "Origin" }
        var keyHelp: [KeyHelp] { [] }
        var received: [String] = []
        mutating func handle(_ event: Event, context: ScreenContext) -> Command {
            switch event {
            case .key(.char("w")): return .run { .message("done") }
            case .key(.char("p")): return .push(PageScreen(page: library.page(code: 401)!, library: library))
            case .message(let text as String): received.append(text); return .none
            default: return .none
            }
        }
        func draw(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
            buffer.write("received: \(received.joined(separator: ","))", x: 0, y: area.y)
        }
    }

    @Test func aResultReachesTheScreenThatAskedNotTheOneOnTop() async {
        var driver = Driver(root: Origin())
        driver.press(.char("w"), .char("p"))
        #expect(driver.screen.line(0).contains("401"))
        await driver.settle()
        driver.press(.escape)
        #expect(driver.contains("received: done"), "\(driver.dump)")
    }
}

/// The Exercises screen against the real server: an exchange from outside solves the current
/// exercise while the screen is open, and the explanation appears.
@Suite(.serialized) struct ExercisesScreenTests {

    @Test func anOutsideRequestSolvesTheCurrentExerciseLive() async throws {
        let backend = LiveLabBackend(diagrams: try ServerDiagrams(library), port: 0)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exercises-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = ExerciseProgress.store(folder.appendingPathComponent("exercises.json"))
        let home = HomeScreen(library: library, exercises: { ExercisesScreen(backend: backend, library: library, store: store) })
        var driver = Driver(size: Size(width: 100, height: 30), root: home)
        #expect(driver.contains("[e] Exercises"))
        driver.press(.char("e"))
        await driver.settle()
        let first = try #require(library.exercises.first)
        #expect(driver.contains("0/\(library.exercises.count) solved"), "\(driver.dump)")
        #expect(driver.contains("1. \(first.title)"))
        driver.press(.char("h"))
        #expect(driver.contains("Hint 1: "), "\(driver.dump)")
        // ux-walk-1 H2: the hint's curl names the port this screen's server listens on (a free
        // one here), never the 8401 the exercises are written for.
        driver.press(.char("h"), .char("h"))
        let url = try #require(backend.serverURL)
        #expect(driver.contains("curl -i \(url)/api/profile"), "\(driver.dump)")
        #expect(!driver.contains(":8401"))
        // The solution's request, from outside the screen; its exchange comes in as the log would bring it.
        let solution = try #require(first.steps.first?.solution)
        _ = await LabClient().send(solution, base: url)
        let (entries, _) = backend.logEntries(after: 0, limit: 100)
        driver.send(.routed(origin: 2, event: .message(ExercisesScreen.Message.log(entries))))
        await driver.settle()
        #expect(driver.contains("Solved: \(first.title)"), "\(driver.dump)")
        #expect(driver.contains("1/\(library.exercises.count) solved"))
        #expect(driver.contains("Solved. "))
        #expect(store.load().value?.solved[first.id] != nil, "progress was saved")
        driver.press(.char("q"))
        await driver.settle()
    }

    @Test func theLabOpenedFromTheExercisesSharesItsServerAndCounts() async throws {
        let backend = LiveLabBackend(diagrams: try ServerDiagrams(library), port: 0)
        let screen = ExercisesScreen(backend: backend, library: library, store: nil,
                                     lab: { LabScreen(backend: backend, library: library, history: nil) })
        var driver = Driver(size: Size(width: 100, height: 30), root: screen)
        for effect in driver.app.start(screen.startCommands) { if case .run(let origin, let operation) = effect { driver.send(.routed(origin: origin, event: await operation())) } }
        let url = try #require(backend.serverURL)
        driver.press(.char("l"))
        await driver.settle()
        #expect(driver.screen.line(0).contains("Exercises › Lab"), "\(driver.dump)")
        #expect(driver.contains("Built-in server: \(url)/"), "the Lab uses the same server: \(driver.dump)")
        driver.press(.char("s"))  // GET /api/profile without credentials: exercise 1
        await driver.settle()
        #expect(driver.contains("HTTP/1.1 401 Unauthorized"))
        // The exercises below the Lab get the log batch, routed to them though the Lab is on top.
        let (entries, _) = backend.logEntries(after: 0, limit: 100)
        driver.send(.routed(origin: 1, event: .message(ExercisesScreen.Message.log(entries))))
        // ux-walk-1 ML4: and the Lab itself says so at once.
        driver.send(.routed(origin: 2, event: .message(LabScreen.Message.log(entries, missed: 0))))
        #expect(driver.contains("Solved: \(library.exercises[0].title) · next: \(library.exercises[1].title)"), "\(driver.dump)")
        driver.press(.char("q"))
        await driver.settle()
        #expect(driver.contains("Solved: \(library.exercises[0].title)"), "\(driver.dump)")
        #expect(backend.serverURL == url, "leaving the Lab leaves the exercises' server running")
        driver.press(.char("q"))
        await driver.settle()
        #expect(backend.serverURL == nil, "leaving the exercises stops it")
    }
}
