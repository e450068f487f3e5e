import Foundation
import Testing
import TestSupport

/// A workshop on loopback, as it happens: the instructor's room in a terminal, one learner
/// with curl only and one with `exercise watch --room`, an escape sequence for a name, a
/// message, the export read by Python's csv module, and the room started again.
@Suite(.serialized, .enabled(if: Tools.tmux && Tools.curl && Tools.python3, "needs tmux, curl and python3")) struct RoomCommandTests {
    func curl(_ arguments: [String]) throws -> String {
        let folder = FileManager.default.temporaryDirectory
        let output = folder.appendingPathComponent("curl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        _ = try spawnAndWait(["/usr/bin/env", "curl", "-s"] + arguments, stdoutPath: output.path)
        return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }

    /// The personal base URL in a join's answer.
    func join(_ origin: String, name: String, code: String) throws -> String {
        let answer = try curl(["-u", "\(name):\(code)", "-X", "POST", "-H", "Accept: application/json", origin + "/room/join"])
        let object = try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any]
        return try #require(object?["base"] as? String, "\(answer)")
    }

    @Test func aWorkshopOnLoopback() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("room-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stateFile = folder.appendingPathComponent("room.json").path
        let room = try TmuxSession("room --port 0 --state \(stateFile) --title 'E2E room'", width: 100, height: 30,
                                   environment: "XDG_STATE_HOME=\(folder.path)/instructor")
        // Applications may set tmux's clipboard here: a name's OSC 52 would land in a buffer.
        try room.tmux(["set-option", "-g", "set-clipboard", "on"])
        var screen = try await room.waitFor("the room's address") { $0.contains("Join code") && $0.contains("/room") }
        let origin = try #require(screen.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+/).map { String($0.0) }, "\(screen)")
        let code = try #require(screen.firstMatch(of: /Join code (\d{6})/).map { String($0.1) }, "\(screen)")

        // A learner with curl alone solves the first exercise under her base URL.
        let ada = try join(origin, name: "Ada", code: code)
        _ = try curl([ada + "/api/notes/1"])
        screen = try await room.waitFor("Ada's solve in the grid") { $0.contains("Ada") && $0.contains("✓") }

        // A name made to act on the terminal: the clipboard (OSC 52), clearing the screen, colour.
        _ = try join(origin, name: "Eve\u{1B}]52;c;aGFja2Vk\u{07}\u{1B}[2J\u{1B}[31mRED", code: code)
        screen = try await room.waitFor("EveRED")
        #expect(screen.contains("Join code \(code)"), "the screen was cleared:\n\(screen)")
        #expect(try room.tmux(["list-buffers"]).isEmpty, "a name set tmux's clipboard")

        // A learner with StatusLab: `exercise watch --room`, which prints her base URL.
        let (watch, output) = try launch(["exercise", "watch", "--room", origin, "--name", "Grace", "--code", code],
                                         environment: ["XDG_STATE_HOME": folder.appendingPathComponent("grace").path])
        defer { if watch.isRunning { watch.terminate() } }
        var text = await output.wait(for: "Stuck?")
        let grace = try #require(text.firstMatch(of: /Your base URL: (\S+)/).map { String($0.1) }, "\(text)")
        _ = try curl([grace + "/api/notes/1"])
        _ = try curl(["-u", "alice:wonderland", grace + "/api/profile"])
        text = await output.wait(for: "Next: 3. ")
        #expect(text.contains("solved 2/"), "\(text)")
        screen = try await room.waitFor("Grace ahead of Ada") { screen in
            guard let grace = screen.range(of: "Grace"), let ada = screen.range(of: "Ada") else { return false }
            return grace.lowerBound < ada.lowerBound && screen.contains("3 learners")
        }

        // A message to everyone reaches her screen.
        try room.send("m")
        try room.type("Break until 10:30")
        try room.send("Enter")
        try await room.waitFor("Sent to everyone.")
        text = await output.wait(for: "Message from the instructor: Break until 10:30")
        #expect(text.contains("Message from the instructor: Break until 10:30"), "\(text)")
        await stop(watch, with: SIGINT)

        // Her exam, handed in at the end as the same learner (the key her watch kept).
        let exam = try run(["quiz", "--plain", "--exam", "--count", "3", "--seed", "5", "--room", origin, "--name", "Grace", "--code", code],
                           environment: ["XDG_STATE_HOME": folder.appendingPathComponent("grace").path], input: "1\n2\n3\n1\n2\n1\n2\n")
        #expect(exam.stderr.contains("the exam is handed in to the room at \(origin) as Grace."), "\(exam)")
        try await room.waitFor("3 learners · 0 stuck · 0 finished · 1 exam in")

        // The gradebook, as Python's csv module reads it.
        let csv = folder.appendingPathComponent("grades.csv").path
        let export = try run(["room", "export", "--state", stateFile, "--csv", csv, "--exams", folder.appendingPathComponent("exams.json").path,
                              "--summary", folder.appendingPathComponent("room-summary.json").path])
        #expect(export.status == 0, "\(export)")
        let python = try run(["-c", "import csv,sys; rows=list(csv.DictReader(open(sys.argv[1], newline=''))); print(';'.join(r['name']+'='+r['exercises_solved'] for r in rows))", csv],
                             executable: "python3")
        #expect(python.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "Ada=1;EveRED=0;Grace=2", "\(python)")
        let summary = try run(["quiz", "summarize", folder.appendingPathComponent("exams.json").path])
        #expect(summary.status == 0 && summary.stdout.hasPrefix("1 exam; "), "\(summary)")
        let json = try run(["-c", "import json,sys; s=json.load(open(sys.argv[1])); print(s['exams'], s['answered'])",
                            folder.appendingPathComponent("room-summary.json").path], executable: "python3")
        #expect(json.stdout == "1 3\n", "\(json)")

        // Stopped (q asks first) and started again: the same code, the same learners, and
        // Ada's base URL still counts for her.
        try room.send("q")
        try await room.waitFor("Press q again")
        try room.send("q")
        try await room.waitFor("exit=0")
        let again = try TmuxSession("room --port 0 --state \(stateFile)", width: 100, height: 30,
                                    environment: "XDG_STATE_HOME=\(folder.path)/instructor")
        screen = try await again.waitFor("the room again") { $0.contains("Join code \(code)") && $0.contains("3 learners") }
        let newOrigin = try #require(screen.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+/).map { String($0.0) })
        let adaAgain = ada.replacingOccurrences(of: origin, with: newOrigin)
        _ = try curl(["-u", "alice:wonderland", adaAgain + "/api/profile"])
        try await again.waitFor("Ada's second solve") { screen in
            screen.split(separator: "\n").contains { $0.contains("Ada") && $0.contains(" 2 ") }
        }
        try again.send("q")
        try again.send("q")
        try await again.waitFor("exit=0")
    }

    @Test func aPortInUseOrAFileInUseIsSaidBeforeAnythingStarts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("room-busy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stateFile = folder.appendingPathComponent("room.json").path
        let (first, output) = try launch(["room", "--plain", "--port", "0", "--state", stateFile], environment: ["XDG_STATE_HOME": folder.path])
        defer { if first.isRunning { first.terminate() } }
        let text = await output.wait(for: "join code")
        let port = try #require(text.firstMatch(of: /127\.0\.0\.1:(\d+)/).map { String($0.1) }, "\(text)")
        // The same file: refused, the first room's learners untouched.
        let again = try run(["room", "--plain", "--port", "0", "--state", stateFile], environment: ["XDG_STATE_HOME": folder.path])
        #expect(again.status == 1)
        #expect(again.stderr.contains("another room is open on \(stateFile)"), "\(again)")
        // The same port, with the screen: said before any screen is needed (no terminal here).
        let busy = try run(["room", "--port", port, "--state", folder.appendingPathComponent("other.json").path],
                           environment: ["XDG_STATE_HOME": folder.path])
        #expect(busy.status == 1)
        #expect(busy.stderr.contains("already in use") && busy.stderr.contains("--port"), "\(busy)")
        await stop(first, with: SIGINT)
        #expect(first.terminationStatus == 0)
    }
}
