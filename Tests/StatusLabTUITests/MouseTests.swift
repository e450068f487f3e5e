import Foundation
import StatusLabCore
import Testing
@testable import StatusLabTUI

/// Clicks land on what was drawn under them; the wheel scrolls.
@Suite struct MouseTests {
    @Test func clickingAHomeEntryOpensIt() {
        var driver = Driver()
        driver.click("Every status code, and the headers")  // the Reference entry's second line
        #expect(driver.screen.line(0).hasPrefix(" StatusLab › Reference"), "\(driver.dump)")
    }

    @Test func clickingAHelpBarEntryTypesItsKey() {
        var driver = Driver()
        driver.click("f flowchart", dx: 3)
        #expect(driver.screen.line(0).hasPrefix(" StatusLab › Flowchart"), "\(driver.dump)")
        // "? help" in the title bar opens the keys; any click closes them.
        driver.click("? help")
        #expect(driver.contains("Keys: Flowchart"), "\(driver.dump)")
        driver.send(.mouse(Mouse(.click, x: 0, y: 5)))
        #expect(!driver.contains("Keys: Flowchart"))
    }

    @Test func clickingAListRowOpensThatPage() {
        var driver = Driver(size: Size(width: 80, height: 24))
        driver.press(.char("r"))
        driver.click("201 Created")
        #expect(driver.screen.line(0).contains("201"), "\(driver.dump)")
        #expect(driver.contains("Created"))
        // A group header is not an item: nothing happens.
        driver.press(.char("q"))
        driver.click("2xx Successful")
        #expect(driver.screen.line(0).hasPrefix(" StatusLab › Reference"), "\(driver.dump)")
    }

    @Test func theWheelMovesThroughTheList() throws {
        var driver = Driver(size: Size(width: 80, height: 24))
        driver.press(.char("r"))
        let list = { (driver: Driver) in (driver.app.top as? ReferenceScreen)?.list.selectedID }
        let first = list(driver)
        driver.send(.mouse(Mouse(.wheelDown, x: 10, y: 10)))
        let afterDown = list(driver)
        #expect(afterDown != first)
        var keyed = Driver(size: Size(width: 80, height: 24))
        keyed.press(.char("r"), .down, .down, .down)
        #expect(afterDown == list(keyed), "a wheel step is three rows")
        driver.send(.mouse(Mouse(.wheelUp, x: 10, y: 10)))
        #expect(list(driver) == first)
    }

    @Test func clickingAQuizChoiceAnswersIt() throws {
        var driver = Driver(size: Size(width: 100, height: 30),
                            root: QuizScreen(library: library, saver: nil, progress: QuizProgress(), settings: QuizSettings(seed: 7)))
        driver.press(.char("p"))
        let question = try #require((driver.app.top as? QuizScreen)?.run?.current)
        try #require(question.kind == .pick || question.kind == .header || question.kind == .spot, "seed 7 starts with a one-answer question")
        let second = question.presentedChoices(seed: 7)[1]
        driver.click("2) \(second.label)")
        #expect(driver.contains("You answered: \(second.label)") || driver.contains("Right"), "\(driver.dump)")
        #expect((driver.app.top as? QuizScreen)?.run?.session.answers.count == 1)
    }

    @Test func clickingABranchOfTheFlowchartAnswersIt() throws {
        var driver = Driver(size: Size(width: 100, height: 30), root: FlowchartScreen(diagram: library.diagram("auth")!, library: library))
        #expect(driver.contains("Step 1: open to all?"))
        // The panel's answers are clickable…
        driver.click("• n no", dx: 2)
        #expect(driver.contains("Step 2: closed to all?"), "\(driver.dump)")
        // …and so are the arrows out of the current box in the picture: its `yes` arrow leaves
        // from the box's first line.
        let row = try #require((0..<30).first { driver.screen.line($0).contains("│ Is this area closed to   ├─── yes ▶") })
        let line = driver.screen.line(row)
        let column = line.distance(from: line.startIndex, to: try #require(line.range(of: "yes")).lowerBound)
        driver.send(.mouse(Mouse(.click, x: column, y: row)))
        #expect(driver.contains("Outcome after 2 steps: closed to everyone"), "\(driver.dump)")
    }

    @Test func clicksOnNothingDoNothing() {
        var driver = Driver()
        let before = driver.text
        driver.send(.mouse(Mouse(.click, x: 0, y: 3)))
        #expect(driver.text == before)
        #expect(!driver.app.isFinished)
    }
}

@Suite struct MouseLinkTests {
    @Test func clickingALinkOnAPageFollowsIt() throws {
        var driver = Driver(size: Size(width: 100, height: 30), root: PageScreen(page: library.page(code: 401)!, library: library))
        // The first link on screen, found by its style, as the eye finds it.
        let screen = driver.screen
        let link = try #require((0..<screen.size.height).lazy.flatMap { y in (0..<screen.size.width).map { (x: $0, y: y) } }
            .first { screen[$0.x, $0.y].style == Theme.test.style(.link) }, "\(driver.dump)")
        let before = driver.screen.line(0)
        driver.send(.mouse(Mouse(.click, x: link.x, y: link.y)))
        #expect(driver.screen.line(0) != before, "\(driver.dump)")
        #expect(driver.app.stack.count == 2, "the linked page (or flowchart) was pushed")
    }

    @Test func clickingAnExerciseSelectsIt() throws {
        let backend = LiveLabBackendStub()
        var driver = Driver(size: Size(width: 100, height: 30),
                            root: ExercisesScreen(backend: backend, library: library, store: nil))
        let third = try #require(library.exercises.dropFirst(2).first)
        driver.click("3. \(third.title)")
        #expect(driver.contains("─ 3. \(third.title)"), "the goal pane shows the clicked exercise: \(driver.dump)")
    }
}

/// A Lab backend with no server, for screens drawn without one.
struct LiveLabBackendStub: LabBackend {
    func startServer() async -> LabServerState { .failed("not started in this test") }
    func stopServer() async {}
    func logEntries(after: Int, limit: Int) -> (entries: [LabLogEntry], missed: Int) { ([], 0) }
    func send(_ request: LabRequest, base: String?) async -> LabResult {
        LabResult(request: request, url: request.url, exchanges: [], date: .distantPast)
    }
    var presets: [LabPreset] { [] }
    var routes: [String] { [] }
}
