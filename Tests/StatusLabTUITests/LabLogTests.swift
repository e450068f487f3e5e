import Foundation
import StatusLabClient
import StatusLabCore
import StatusLabServer
import Testing
@testable import StatusLabTUI

/// The Lab's live log: exchanges from outside, one shown in full, a judged recording.
@Suite(.serialized) struct LabLogTests {
    /// On the Log tab, and in the response view before the Lab has sent anything: an outside
    /// request is seen at once either way.
    @Test(arguments: [true, false]) func theLiveLogShowsExchangesFromOutside(onLogTab: Bool) async throws {
        let backend = LiveLabBackend(diagrams: try ServerDiagrams(library), port: 0)
        try await stopping(backend) {
            // The server is up before the Lab opens (which then shares it), so the client outside
            // knows where to send without waiting for it; it sends while the Lab runs.
            guard case .running(let url, _) = await backend.startServer() else { Issue.record("the server did not start"); return }
            let screen = LabScreen(backend: backend, library: library, history: nil)
            let size = Size(width: 100, height: 30)
            let outside = Task.detached {
                for path in ["/api/public", "/nope"] { _ = await LabClient().send(LabRequest(url: url + path), base: nil) }
            }
            let terminal = TestTerminal(size: size, events: onLogTab ? [.key(.char("4"))] : [], until: { screen in
                screen.text.contains("GET /api/public 200") && screen.text.contains("GET /nope 404  status/not-found")
            }, timeout: 30)
            // The Lab's own start (its share of the server, the log) comes from the runner.
            await onItsOwnThread {
                var app = App(root: screen, size: size, theme: .test)
                Runner.run(&app, backend: terminal, pollMilliseconds: 20)
            }
            await outside.value
            let text = terminal.screen.text
            #expect(text.contains("GET /api/public 200"), "\(text)")
            #expect(text.contains("4 Log (2)"))
            #expect(text.contains("Nothing sent from the Lab yet") == !onLogTab, "\(text)")
        }
    }

    @Test func aLogEntryShowsItsResponseContentAndAll() async throws {
        try await withLab { driver, backend, folder in
            await driver.openLab()
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
            await driver.leave()
        }
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
        let backend = LiveLabBackend(diagrams: try ServerDiagrams(library), port: 0)
        var screen = LabScreen(backend: backend, library: library, history: nil, opened: ("fastapi-0.121.har", entries))
        screen.files.exportFolder = folder
        // The Lab opened on a recording still starts its server (on the first settle below).
        try await stopping(backend) {
            var driver = Driver(size: Size(width: 100, height: 40), root: screen)
            #expect(driver.contains("Opened fastapi-0.121.har: \(entries.count) exchanges"), "\(driver.dump)")
            #expect(driver.contains("Log (\(entries.count))"))
            #expect(driver.contains("! 401 without a challenge"), "\(driver.dump)")
            // The log is newest first: the first exchange, an anonymous GET /notes, is at the bottom.
            for _ in 0..<(entries.count - 1) { driver.press(.down) }
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
            #expect(driver.contains("Wrote \(entries.count) exchanges to"), "\(driver.dump)")
            var count = 0
            try TrafficFile.read(try Data(contentsOf: written[0])) { _ in count += 1 }
            #expect(count == entries.count)
        }
    }
}
