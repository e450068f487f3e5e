import Foundation
import StatusLabClient
import StatusLabCore
import StatusLabServer
import Testing
@testable import StatusLabTUI

/// The README's pictures: every main screen rendered to SVG, and as text, from the same in-memory
/// screen the terminal gets. A committed screenshot that no longer matches its screen fails here;
/// run `STATUSLAB_UPDATE_SCREENSHOTS=1 swift test --filter ScreenshotTests` to redraw them.
@Suite(.serialized) struct ScreenshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("assets/screenshots")
    static let size = Size(width: 110, height: 30)

    /// `svg: false` keeps only the text capture (`name.txt`), for views the README does not show.
    func check(_ name: String, _ driver: Driver, title: String, svg: Bool = true) throws {
        var files: [(name: String, text: String)] = [("\(name).txt", driver.screen.text + "\n")]
        if svg { files.append(("\(name).svg", SVGSnapshot.render(driver.screen, title: title))) }
        for (fileName, text) in files {
            let file = Self.folder.appendingPathComponent(fileName)
            if ProcessInfo.processInfo.environment["STATUSLAB_UPDATE_SCREENSHOTS"] == "1" {
                try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
                try text.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            let committed = try? String(contentsOf: file, encoding: .utf8)
            #expect(committed == text, "assets/screenshots/\(fileName) is stale: STATUSLAB_UPDATE_SCREENSHOTS=1 swift test --filter ScreenshotTests\(driver.dump)")
        }
    }

    @Test func home() throws {
        try check("home", Driver(size: Self.size), title: "StatusLab's home screen")
    }

    @Test func room() async throws {
        let record = RoomScreenTests.pictureRoom()
        var driver = Driver(size: Self.size, root: RoomScreen(backend: RoomScreenTests.FakeRoom(record), library: library, record: record,
                                                              exportFolder: FileManager.default.temporaryDirectory, clock: { RoomScreenTests.now }))
        await driver.settle()
        for _ in 0..<9 { driver.press(.down) }
        #expect(driver.contains("Stuck: 6 refused tries at"), "\(driver.dump)")
        try check("room", driver, title: "The Room screen: a workshop's grid, one learner stuck")
    }

    @Test func referenceWithPreview() throws {
        var driver = Driver(size: Self.size)
        driver.press(.char("r"))
        for _ in 0..<3 { driver.press(.down) }
        #expect(driver.contains("Preview"), "\(driver.dump)")
        try check("reference", driver, title: "The reference: codes by class with a preview")
    }

    @Test func page() throws {
        let driver = Driver(size: Self.size, root: PageScreen(page: library.page(code: 401)!, library: library))
        #expect(driver.contains("401"))
        try check("page-401", driver, title: "The page for 401 Unauthorized")
    }

    @Test func flowchartAtAnOutcome() throws {
        var driver = Driver(size: Self.size, root: FlowchartScreen(diagram: library.diagram("auth")!, library: library))
        driver.press(.char("n"), .char("n"), .char("n"), .char("n"), .char("n"))
        #expect(driver.contains("HTTP/1.1 401 Unauthorized"), "\(driver.dump)")
        try check("flowchart", driver, title: "The auth flowchart walked to 401")
    }

    @Test func quizQuestionAndFeedback() throws {
        var driver = Driver(size: Self.size, root: QuizScreen(library: library, saver: nil, progress: QuizProgress(), settings: QuizSettings(seed: 7)))
        driver.press(.char("p"))
        let question = try #require((driver.app.top as? QuizScreen)?.run?.current, "\(driver.dump)")
        try check("quiz-question", driver, title: "A quiz question")
        let shown = question.presentedChoices(seed: 7)
        let wrong = (1...shown.count).first { number in
            !question.key.contains(shown[number - 1].value)
        }!
        driver.press(.char(Character("\(wrong)")))
        if question.kind == .pickAll { driver.press(.enter) }
        try check("quiz-feedback", driver, title: "Feedback on a wrong answer")
    }

    @Test func labAfterARequest() async throws {
        let backend = StillBackend(try ServerDiagrams(library))
        var driver = Driver(size: Self.size, root: LabScreen(backend: backend, library: library, history: nil))
        await driver.settle()  // the Lab's start: its server
        driver.press(.char("s"))
        await driver.settle()
        #expect(driver.contains("HTTP/1.1 401 Unauthorized"), "\(driver.dump)")
        try check("lab", driver, title: "The Lab: a request to the built-in server and its response")
        driver.press(.char("2"))
        try check("lab-decision", driver, title: "The Lab's decision view", svg: false)
        driver.press(.char("3"))
        try check("lab-wire", driver, title: "The Lab's wire view", svg: false)
        await backend.live.shutdown()
    }

    @Test func exercises() async throws {
        let backend = StillBackend(try ServerDiagrams(library))
        let screen = ExercisesScreen(backend: backend, library: library, store: nil)
        var driver = Driver(size: Self.size, root: screen)
        await driver.settle()  // the screen's start: its server
        driver.press(.char("h"))
        #expect(driver.contains("Hint 1: "), "\(driver.dump)")
        try check("exercises", driver, title: "Exercises, solved by real requests")
        await backend.live.shutdown()
    }
}

/// The real built-in server and client, with what changes from run to run (the port, the
/// date, nonces, timings) held still so a picture of the Lab is the same every time.
final class StillBackend: LabBackend {
    let live: LiveLabBackend
    init(_ diagrams: ServerDiagrams) { live = LiveLabBackend(diagrams: diagrams, port: 0) }

    static let shownURL = "http://127.0.0.1:8401"

    func startServer() async -> LabServerState {
        if case .failed(let why) = await live.startServer() { return .failed(why) }
        return .running(url: Self.shownURL, note: nil)
    }

    func stopServer() async { await live.stopServer() }
    func logEntries(after: Int, limit: Int) -> (entries: [LabLogEntry], missed: Int) { ([], 0) }
    var presets: [LabPreset] { live.presets }
    var routes: [String] { live.routes }

    func send(_ request: LabRequest, base: String?) async -> LabResult {
        var result = await live.send(request, base: live.serverURL)
        let still = { (text: String) in self.still(text) }
        result.url = still(result.url)
        result.date = Date(timeIntervalSince1970: 1_796_126_400)
        result.exchanges = result.exchanges.map { exchange in
            var exchange = exchange
            exchange.sent = Array(still(String(decoding: exchange.sent, as: UTF8.self)).utf8)
            exchange.received = Array(still(String(decoding: exchange.received, as: UTF8.self)).utf8)
            exchange.duration = .milliseconds(3)
            if var response = exchange.response {
                response.headers = response.headers.map { .init(name: $0.name, value: still($0.value)) }
                exchange.response = response
            }
            return exchange
        }
        return result
    }

    func still(_ text: String) -> String {
        var text = text
        if let url = live.serverURL { text = text.replacingOccurrences(of: url, with: Self.shownURL) }
        if let port = live.serverURL?.split(separator: ":").last { text = text.replacingOccurrences(of: "127.0.0.1:\(port)", with: "127.0.0.1:8401") }
        text = text.replacingOccurrences(of: #"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT"#,
                                         with: "Tue, 01 Dec 2026 12:00:00 GMT", options: .regularExpression)
        text = text.replacingOccurrences(of: #"nonce="[^"]*""#, with: #"nonce="c3RhdHVzbGFiLXNjcmVlbnNob3Q""#, options: .regularExpression)
        return text
    }
}
