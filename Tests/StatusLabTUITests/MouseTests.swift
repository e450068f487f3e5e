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
        let question = try #require((driver.app.top as? QuizScreen)?.session?.current)
        try #require(question.kind == .pick || question.kind == .header || question.kind == .spot, "seed 7 starts with a one-answer question")
        let second = question.presentedChoices[1]
        driver.click("2) \(second.label)")
        #expect(driver.contains("You answered: \(second.label)") || driver.contains("Right"), "\(driver.dump)")
        #expect((driver.app.top as? QuizScreen)?.session?.answers.count == 1)
    }

    @Test func clickingABranchOfTheFlowchartAnswersIt() {
        var driver = Driver(size: Size(width: 100, height: 30), root: FlowchartScreen(diagram: library.diagram("auth")!, library: library))
        #expect(driver.contains("Step 1: open to all?"))
        // The panel's answers are clickable…
        driver.click("•", dx: 2)
        #expect(driver.contains("Step 2: "), "\(driver.dump)")
        // …and so are the arrows out of the current box in the picture.
        let walked = (driver.app.top as? FlowchartScreen)?.answers
        driver.click(" no ", dx: 1)
        #expect((driver.app.top as? FlowchartScreen)?.answers.count == (walked?.count ?? 0) + 1, "\(driver.dump)")
    }

    @Test func clicksOnNothingDoNothing() {
        var driver = Driver()
        let before = driver.text
        driver.send(.mouse(Mouse(.click, x: 0, y: 3)))
        #expect(driver.text == before)
        #expect(!driver.app.isFinished)
    }
}
