import Foundation
import StatusLabClient
import StatusLabContent
import StatusLabCore
import Testing
@testable import StatusLabTUI

let library: ContentLibrary = {
    let files = EmbeddedContent.files.map { ContentFile(path: $0.path, text: $0.text) }
    do { return try ContentLibrary.load(files) } catch { fatalError("\(error)") }
}()

/// Drives the app as a user would: keys in, the screen out as text.
struct Driver: CustomTestStringConvertible {
    var app: App
    private(set) var screen: ScreenBuffer

    /// As the runner does, the first screen's `start` work is asked for at once; it runs (the
    /// Lab's server starts) on the first `settle`.
    init(size: Size = Size(width: 80, height: 24), theme: Theme = .test, root: (any Screen)? = nil) {
        app = App(root: root ?? HomeScreen(library: library), size: size, theme: theme)
        pendingEffects = app.start()
        screen = app.render()
    }

    mutating func press(_ keys: Key...) { for key in keys { send(.key(key)) } }

    mutating func type(_ text: String) { for c in text { send(.key(.char(c))) } }

    /// A click on the first cell showing `text` (plus `dx` columns), as a user would aim.
    mutating func click(_ text: String, dx: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let at = screen.find(text) else {
            Issue.record("nothing shows “\(text)” to click\(dump)", sourceLocation: sourceLocation)
            return
        }
        send(.mouse(Mouse(.click, x: at.x + dx, y: at.y)))
    }

    /// Effects the app asked for and the test has not run yet.
    private(set) var pendingEffects: [App.Effect] = []

    mutating func send(_ event: Event) {
        pendingEffects += app.handle(event)
        screen = app.render()
    }

    /// Runs the effects (saving, exporting …) and delivers their results, as the runner does.
    mutating func settle() async {
        while !pendingEffects.isEmpty {
            let effect = pendingEffects.removeFirst()
            // Results go back to the screen that asked, as the runner routes them; streams
            // (the Lab's live log) run only under the real runner.
            switch effect {
            case .run(let origin, let operation), .save(let origin, let operation):
                send(.routed(origin: origin, event: await operation()))
            default: break
            }
        }
    }

    var text: String { screen.text }

    /// Text the app asked to put on the clipboard, last first.
    var pendingClipboard: [String] {
        pendingEffects.reversed().compactMap { if case .clipboard(let text) = $0 { text } else { nil } }
    }

    func contains(_ needle: String) -> Bool { screen.text.contains(needle) }

    var testDescription: String { dump }

    /// The screen as text, for failure messages.
    var dump: String { "\n" + screen.lines.map { "|\($0)|" }.joined(separator: "\n") }
}

/// Runs `loop` (the real runner) on a thread of its own and waits for it to end. The loop blocks
/// its thread, as it does in the program; run on the test's shared pool it could starve the very
/// tasks it waits for (its effects, a save, a server's start).
func onItsOwnThread(_ loop: @escaping @Sendable () -> Void) async {
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
        Thread {
            loop()
            done.resume()
        }.start()
    }
}

/// Runs `body`, then stops `backend`'s server and waits until it has stopped, whether `body`
/// returned or threw: no test leaves a server listening, nor a stop still running.
func stopping(_ backend: LiveLabBackend, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        await backend.shutdown()
        throw error
    }
    await backend.shutdown()
}
