import Foundation
import Testing
import TestSupport

@Suite(.serialized, .enabled(if: Tools.curl, "needs curl")) struct ServeCommandTests {
    /// Starts `statuslab serve` with `arguments`, waits for its first line on stdout.
    func start(_ arguments: [String]) async throws -> (process: Process, firstLine: String, errors: Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: statuslab)
        process.arguments = ["serve"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        let lines = PipeReader(out)
        try process.run()
        return (process, await lines.wait(for: "\n").components(separatedBy: "\n")[0], err)
    }

    /// Serves on a free port, asks for /api/profile once with curl, stops with SIGTERM: curl's
    /// status code, the exit status and what the server wrote on stderr.
    func serveOneRequest(_ arguments: [String]) async throws -> (code: String, status: Int32, log: String) {
        let (process, first, errors) = try await start(["--port", "0"] + arguments)
        defer { if process.isRunning { process.terminate() } }
        let match = try #require(first.firstMatch(of: /StatusLab mock server on http:\/\/127\.0\.0\.1:(\d+)\//), "\(first)")
        let port = Int(match.1)!
        #expect(port > 0)
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        curl.arguments = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/api/profile"]
        let output = Pipe()
        curl.standardOutput = output
        try curl.run()
        curl.waitUntilExit()
        await stop(process)
        return (String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), process.terminationStatus,
                String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    @Test func servesOnAFreePortAndStopsOnSigterm() async throws {
        let (code, status, log) = try await serveOneRequest([])
        #expect(code == "401")
        #expect(status == 0)
        #expect(log.contains("GET /api/profile -> 401 ("), "one log line per request on stderr: \(log)")
    }

    @Test func quietServesWithoutALinePerRequest() async throws {
        let (code, status, log) = try await serveOneRequest(["--quiet"])
        #expect(code == "401")
        #expect(status == 0)
        #expect(!log.contains("/api/profile"), "\(log)")
    }

    @Test func aRecordingIsJudgedAsTheServerDecided() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("statuslab-record-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        let (code, status, log) = try await serveOneRequest(["--quiet", "--record", file.path])
        #expect(code == "401" && status == 0)
        #expect(log.contains("1 exchanges recorded in \(file.path)"), "\(log)")
        let recorded = try String(contentsOf: file, encoding: .utf8)
        #expect(recorded.split(separator: "\n").count == 1)
        #expect(recorded.contains(#""target":"/api/profile","status":401"#), "\(recorded)")
        let judged = try run(["judge", file.path])
        #expect(judged.status == 0, "\(judged)")
        #expect(judged.stdout.contains("JSON lines, 1 exchange, no findings"), "\(judged)")
    }

    @Test func aRecordingThatCannotBeWrittenStopsBeforeServing() throws {
        let result = try run(["serve", "--port", "0", "--record", "/nonexistent-folder/traffic.jsonl"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the folder /nonexistent-folder does not exist"), "\(result)")
    }

    @Test func aPortInUseIsAClearError() async throws {
        let (first, line, _) = try await start(["--port", "0"])
        defer { first.terminate(); first.waitUntilExit() }
        let port = try #require(line.firstMatch(of: /:(\d+)\//)).1
        let second = try run(["serve", "--port", String(port)])
        #expect(second.status == 1)
        #expect(second.stderr.contains("port \(port) on 127.0.0.1 is already in use"), "\(second)")
    }

    @Test func anAuthDiagramAskingWhatTheServerCannotKnowIsRefusedAtStart() throws {
        let folder = try copyOfContent()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A pack whose auth diagram (and the quiz keys that walk it) ask about a fact of its own.
        for file in ["diagrams/auth.diagram", "quiz/auth.quiz", "quiz/hiding-redirects.quiz"] {
            let url = folder.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            try text.replacingOccurrences(of: "fact: hide-forbidden", with: "fact: moon-phase")
                .replacingOccurrences(of: "hide-forbidden=", with: "moon-phase=")
                .write(to: url, atomically: true, encoding: .utf8)
        }
        let result = try run(["serve", "--port", "0", "--content", folder.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the diagrams ask about facts the server cannot work out from a request: moon-phase."),
                "\(result.stderr)")
    }

    @Test func anotherHostIsServedWithAWarning() async throws {
        let (process, _, errors) = try await start(["--host", "0.0.0.0", "--port", "0"])
        await stop(process)
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("warning: listening on 0.0.0.0. The demo users and tokens are public"))
    }
}
