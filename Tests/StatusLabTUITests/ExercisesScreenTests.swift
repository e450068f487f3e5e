import Foundation
import StatusLabClient
import StatusLabCore
import StatusLabServer
import Testing
@testable import StatusLabTUI

/// The Exercises screen against the real server: an exchange from outside solves the current
/// exercise while the screen is open, and the explanation appears.
@Suite(.serialized) struct ExercisesScreenTests {

    @Test func anOutsideRequestSolvesTheCurrentExerciseLive() async throws {
        let backend = LiveLabBackend(diagrams: try ServerDiagrams(library), port: 0)
        try await stopping(backend) {
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
    }

    @Test func theLabOpenedFromTheExercisesSharesItsServerAndCounts() async throws {
        let backend = LiveLabBackend(diagrams: try ServerDiagrams(library), port: 0)
        try await stopping(backend) {
            let screen = ExercisesScreen(backend: backend, library: library, store: nil,
                                         lab: { LabScreen(backend: backend, library: library, history: nil) })
            var driver = Driver(size: Size(width: 100, height: 30), root: screen)
            await driver.settle()  // the screen's start: its server
            let url = try #require(backend.serverURL, "\(driver.dump)")
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

    /// In a small terminal the list scrolls with the selection: ↓ to the last exercise keeps
    /// it in view, highlighted, with its goal beside it; a click chooses another.
    @Test func theListScrollsToTheSelectionInASmallTerminal() async throws {
        let backend = LiveLabBackend(diagrams: try ServerDiagrams(library), port: 0)
        try await stopping(backend) {
            var driver = Driver(size: Size(width: 60, height: 16), root: ExercisesScreen(backend: backend, library: library, store: nil))
            let exercises = library.exercises
            try #require(exercises.count > 12, "more exercises than fit at 60x16")
            for _ in 1..<exercises.count { driver.press(.down) }
            let selection = Theme.test.style(.selection)
            let row = try #require((0..<16).first { driver.screen[2, $0].style == selection }, "\(driver.dump)")
            #expect(driver.screen.line(row).contains("\(exercises.count). "), "the last exercise is highlighted: \(driver.dump)")
            #expect(driver.screen.line(2).contains("─ \(exercises.count). "), "its frame names it: \(driver.dump)")
            let thumb = try #require((2..<15).first { driver.screen[23, $0].symbol == "█" }, "a scroll bar on the list's edge: \(driver.dump)")
            #expect(thumb > 8, "the thumb is at the bottom")
            driver.send(.mouse(Mouse(.click, x: 5, y: 4)))
            let clicked = try #require((0..<16).first { driver.screen[2, $0].style == selection })
            #expect(clicked == 4, "\(driver.dump)")
        }
    }
}
