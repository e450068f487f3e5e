import StatusLabCore
import Testing
@testable import StatusLabTUI

@Suite struct FlowchartScreenTests {
    func flowchart(_ id: String = "auth", size: Size = Size(width: 80, height: 24)) -> Driver {
        Driver(size: size, root: FlowchartScreen(diagram: library.diagram(id)!, library: library))
    }

    var auth: Diagram { library.diagram("auth")! }

    /// The first line of a box's text, as the picture shows it.
    func firstLine(of id: String, compact: Bool = false) -> String {
        let width = (compact ? DiagramPicture.compactWidth : DiagramPicture.boxWidth) - 4
        let text: String
        if let question = auth.question(id) { text = question.ask } else {
            let outcome = auth.outcome(id)!
            text = "\(outcome.status) \(StatusRegistry.lookup(outcome.status)!.reason)"
        }
        return TextWrapper.wrap([StyledRun(text)], width: width)[0].map(\.text).joined()
    }

    @Test func theHomeMenuOpensTheFlowchart() {
        var driver = Driver()
        #expect(driver.contains("[f] Flowchart"))
        driver.press(.char("f"))
        #expect(driver.screen.line(0).hasPrefix(" StatusLab › Flowchart: auth"), "\(driver.dump)")
        #expect(driver.contains("Step 1: open to all?"))
    }

    @Test func thePictureHasBoxesJoinedByArrows() {
        let driver = flowchart()
        #expect(driver.contains("│ Is this URL in an area   ├─── yes ▶│ 200 OK"), "\(driver.dump)")
        #expect(driver.contains("│ no"))
        #expect(driver.contains("▼"))
    }

    @Test func walkingToFourOhOneAndBack() throws {
        var driver = flowchart()
        driver.press(.char("n"), .char("n"), .char("n"), .char("n"), .char("n"))
        #expect(driver.contains("Outcome after 5 steps: no credentials: challenge"), "\(driver.dump)")
        #expect(driver.contains("HTTP/1.1 401 Unauthorized"))
        #expect(driver.contains(#"WWW-Authenticate: Bearer realm="statuslab""#))
        // The outcome's box is the highlighted one.
        let box = try #require(driver.screen.find("│ 401 Unauthorized"))
        #expect(driver.screen[box.x + 2, box.y].style == Theme.test.style(.selection).adding(.bold), "\(driver.dump)")
        driver.press(.char("b"))
        #expect(driver.contains("Step 5: hide from strangers?"))
        #expect(driver.contains("Does the server answer 404 to every caller it cannot identify?"))
    }

    @Test func walkingToFourOhThreeAndFourOhFour() {
        var driver = flowchart()
        driver.press(.char("n"), .char("n"), .char("n"), .char("y"), .char("y"), .char("1"), .char("n"), .char("y"), .char("n"), .char("n"), .char("n"))
        #expect(driver.contains("HTTP/1.1 403 Forbidden"), "\(driver.dump)")
        #expect(driver.contains(#"error="insufficient_scope""#))
        driver.press(.char("b"), .char("y"))
        #expect(driver.contains("HTTP/1.1 404 Not Found"), "\(driver.dump)")
        driver.press(.char("r"), .char("y"))
        #expect(driver.contains("Outcome after 1 step: public, let in"), "\(driver.dump)")
        driver.press(.char("r"), .char("n"), .char("y"))
        #expect(driver.contains("Outcome after 2 steps: closed to everyone"), "\(driver.dump)")
        #expect(!driver.contains("WWW-Authenticate"), "a refusal no credentials can lift asks for none")
    }

    @Test func theCurrentStepIsAlwaysInView() {
        for size in [Size(width: 80, height: 24), Size(width: 160, height: 50), Size(width: 50, height: 14)] {
            var driver = flowchart(size: size)
            let answers: [Character] = ["n", "n", "n", "y", "y", "1", "n", "y", "n", "n", "n"]
            for (index, answer) in answers.enumerated() {
                driver.press(.char(answer))
                let path = DecisionEngine.walk(auth, answers: answers.prefix(index + 1).map { String($0) == "1" ? "valid" : (String($0) == "y" ? "yes" : "no") })
                let current: String
                switch path {
                case .asking(_, let question): current = question.id
                case .decided(_, let outcome): current = outcome.id
                case .invalidAnswer: Issue.record("bad script"); return
                }
                #expect(driver.contains(firstLine(of: current)), "\(size) step \(index + 1): \(current)\(driver.dump)")
            }
        }
    }

    @Test func thePathTakenIsMarked() throws {
        var driver = flowchart()
        driver.press(.char("y"))
        let arrow = try #require(driver.screen.find("─── yes ▶"))
        #expect(driver.screen[arrow.x, arrow.y].style.attributes.contains(.bold), "\(driver.dump)")
        #expect(driver.screen[arrow.x, arrow.y].style.foreground == .magenta, "not the 4xx outcomes' yellow")
    }

    @Test func choicesAreAnsweredByNumber() {
        var driver = flowchart()
        driver.press(.char("n"), .char("n"), .char("n"), .char("y"), .char("y"))
        #expect(driver.contains("1 Yes, they are valid"), "\(driver.dump)")
        #expect(driver.screen.line(23).contains("1-4 answer"))
        driver.press(.char("3"))
        #expect(driver.contains("token expired"))
        #expect(driver.contains(#"error="invalid_token""#))
        driver.press(.char("9"), .char("y"))  // not answers here
        #expect(driver.contains("token expired"))
    }

    @Test func overviewAndPanning() {
        var driver = flowchart()
        driver.press(.char("o"))
        #expect(driver.contains("(overview)"), "\(driver.dump)")
        #expect(driver.contains("open to all?"))
        driver.press(.char("o"), .right, .right)
        #expect(driver.contains(" 16,0 of "), "\(driver.dump)")
        driver.press(.char("c"))
        #expect(driver.contains(" 0,0 of "))
    }

    @Test func anOutcomeLeadsToItsReferencePageAndPagesLeadBack() {
        var driver = flowchart()
        driver.press(.char("n"), .char("n"), .char("n"), .char("y"), .char("y"), .char("1"), .char("n"), .char("n"), .enter)
        #expect(driver.screen.line(0).contains("› 404 Not Found"), "\(driver.dump)")
        driver.press(.char("G"))
        #expect(driver.contains("Decisions that lead here"), "\(driver.dump)")
        #expect(driver.contains("auth: nothing there"))
    }

    @Test func aReferenceLinkOpensTheFlowchartAtThatOutcome() throws {
        var driver = Driver(root: PageScreen(page: library.page(code: 401)!, library: library))
        driver.press(.char("G"))
        // Tab to the first "decisions" link and follow it.
        for _ in 0..<60 {
            let focused = driver.screen.cells.filter { $0.style == Theme.test.style(.focusedLink) }.map(\.symbol).joined()
            if focused.hasPrefix("auth:") { break }
            driver.press(.tab)
        }
        driver.press(.enter)
        #expect(driver.screen.line(0).contains("Flowchart: auth"), "\(driver.dump)")
        #expect(driver.contains("HTTP/1.1 401 Unauthorized"))
    }

    @Test func anotherDiagramWithD() {
        var driver = flowchart()
        driver.press(.char("y"), .char("d"))
        #expect(!driver.screen.line(0).contains("Flowchart: auth"), "\(driver.dump)")
        #expect(driver.contains("Step 1:"))
    }
}
