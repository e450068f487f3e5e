import Foundation
import Synchronization
import StatusLabCore
import Testing
@testable import StatusLabTUI

/// A screen that starts background work on `x` and shows what comes back.
struct EchoScreen: Screen {
    var shown = "waiting"
    var ticks = 0
    var title: String { "Echo" }
    var wantsTicks: Bool { true }
    var keyHelp: [KeyHelp] { [] }

    mutating func handle(_ event: Event, context: ScreenContext) -> Command {
        switch event {
        case .key(.char("x")):
            return .run { .message("work done") }
        case .message(let value as String):
            shown = value
        case .tick:
            ticks += 1
        case .key(.char("q")):
            return .pop
        default: break
        }
        return .none
    }

    mutating func draw(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        buffer.write(shown, x: area.x, y: area.y)
        buffer.write("ticks: \(ticks)", x: area.x, y: area.y + 1)
    }
}

@Suite struct RunnerTests {
    @Test func theTerminalEndsUpShowingTheLastFrame() {
        let terminal = TestTerminal(size: Size(width: 80, height: 24), events: [
            .key(.char("r")), .key(.char("/")), .key(.char("4")), .key(.char("0")), .key(.char("4")),
            .key(.enter), .key(.enter),
        ])
        var app = App(root: HomeScreen(library: library), size: terminal.size, theme: .test)
        Runner.run(&app, backend: terminal, tickInterval: 3600, pollMilliseconds: 1)
        var expected = app
        #expect(terminal.screen.text == expected.render().text)
        #expect(terminal.screen.line(0).hasPrefix(" StatusLab › Reference › 404 Not Found"))
        #expect(terminal.frames >= 8)
    }

    @Test func aResizeRedrawsEverythingAtTheNewSize() {
        let terminal = TestTerminal(size: Size(width: 80, height: 24), events: [
            .key(.char("r")), .resize(Size(width: 100, height: 30)),
        ])
        var app = App(root: HomeScreen(library: library), size: terminal.size, theme: .test)
        Runner.run(&app, backend: terminal, tickInterval: 3600, pollMilliseconds: 1)
        #expect(terminal.screen.size == Size(width: 100, height: 30))
        #expect(terminal.screen.text.contains("Preview"))
    }

    @Test func backgroundWorkComesBackAsAnEvent() async {
        let terminal = TestTerminal(size: Size(width: 60, height: 20), events: [.key(.char("x"))],
                                    until: { $0.text.contains("work done") }, timeout: 30)
        let app = App(root: EchoScreen(), size: terminal.size, theme: .test)
        await onItsOwnThread {
            var running = app
            Runner.run(&running, backend: terminal, tickInterval: 3600, pollMilliseconds: 5)
        }
        #expect(terminal.screen.text.contains("work done"))
    }

    @Test func ctrlZSuspendsAndSigtermEnds() {
        let terminal = TestTerminal(size: Size(width: 60, height: 20), events: [.key(.ctrl("z")), .terminate(signal: 15)])
        var app = App(root: EchoScreen(), size: terminal.size, theme: .test)
        Runner.run(&app, backend: terminal, tickInterval: 3600, pollMilliseconds: 1)
        #expect(terminal.suspensions == 1)
        #expect(app.isFinished)
    }

    /// A screen that wants ticks gets them and is redrawn for each: the run ends once two have
    /// been drawn (however long a loaded machine takes), not after a set time.
    @Test func ticksArriveAndAreDrawn() {
        let terminal = TestTerminal(size: Size(width: 60, height: 20), events: [],
                                    until: { $0.text.contains("ticks: 2") }, timeout: 60)
        var app = App(root: EchoScreen(), size: terminal.size, theme: .test)
        Runner.run(&app, backend: terminal, tickInterval: 0.05, pollMilliseconds: 5)
        #expect(terminal.screen.text.contains("ticks: 2"), "\(terminal.screen.text)")
    }

    /// `start()`: the first screen's work runs when the program starts, a pushed screen's when it
    /// is pushed, and each result goes to the screen that started it.
    @Test func aScreenStartsItsWorkWhenItIsShown() async {
        var driver = Driver(root: StartingScreen(name: "first"))
        #expect(driver.contains("first: waiting"))
        await driver.settle()
        #expect(driver.contains("first: started first"), "\(driver.dump)")
        driver.press(.char("p"))
        #expect(driver.contains("second: waiting"))
        await driver.settle()
        #expect(driver.contains("second: started second"), "\(driver.dump)")
        driver.press(.escape)
        #expect(driver.contains("first: started first"), "the first screen's result stayed its own")
    }

    // Waiting for the request would hold the runner for its two minutes of grace: past the time limit.
    @Test(.timeLimit(.minutes(1))) func theExitWaitsForSavesButNotForOtherWork() async {
        // A request that never ends, and a save, both started as the app quits.
        let (never, release) = AsyncStream.makeStream(of: Void.self)
        let saved = Mutex(false)
        let quitting = QuittingScreen(
            work: .run { for await _ in never {}; return .tick },
            save: .save { await Task.yield(); saved.withLock { $0 = true }; return .tick })
        let terminal = TestTerminal(size: Size(width: 60, height: 20), events: [.key(.char("q"))], timeout: 30)
        let app = App(root: quitting, size: terminal.size, theme: .test)
        await onItsOwnThread {
            var running = app
            Runner.run(&running, backend: terminal, pollMilliseconds: 5, exitGrace: 120)
        }
        #expect(saved.withLock { $0 }, "the save finished before the runner returned")
        release.finish()
    }
}

/// Quits on `q`, starting `work` and `save` as it goes.
struct QuittingScreen: Screen {
    let work: Command
    let save: Command
    var title: String { "Quitting" }
    var keyHelp: [KeyHelp] { [] }

    mutating func handle(_ event: Event, context: ScreenContext) -> Command {
        guard case .key(.char("q")) = event else { return .none }
        return .batch([work, save, .quit])
    }

    mutating func draw(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {}
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

/// Starts work named after itself when shown; `p` pushes a second one, Esc goes back.
struct StartingScreen: Screen {
    let name: String
    var shown = "waiting"
    var title: String { name }
    var keyHelp: [KeyHelp] { [] }

    func start() -> Command {
        let name = self.name
        return .run { .message("started \(name)") }
    }

    mutating func handle(_ event: Event, context: ScreenContext) -> Command {
        switch event {
        case .message(let text as String): shown = text
        case .key(.char("p")): return .push(StartingScreen(name: "second"))
        case .key(.escape): return .pop
        default: break
        }
        return .none
    }

    mutating func draw(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        buffer.write("\(name): \(shown)", x: area.x, y: area.y)
    }
}
