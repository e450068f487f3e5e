import Foundation
import Testing

@Suite(.serialized) struct ServeCommandTests {
    /// Starts `statuslab serve` with `arguments`, waits for its first line on stdout.
    func start(_ arguments: [String]) async throws -> (process: Process, firstLine: String, errors: Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: statuslab)
        process.arguments = ["serve"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        var line = Data()
        let deadline = Date().addingTimeInterval(20)
        while !line.contains(10), Date() < deadline, process.isRunning {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            line.append(chunk)
        }
        return (process, String(decoding: line, as: UTF8.self).components(separatedBy: "\n")[0], err)
    }

    @Test func servesOnAFreePortAndStopsOnSigterm() async throws {
        let (process, first, errors) = try await start(["--port", "0"])
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
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "401")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("GET /api/profile -> 401 ("), "one log line per request on stderr: \(log)")
    }

    @Test func aPortInUseIsAClearError() async throws {
        let (first, line, _) = try await start(["--port", "0"])
        defer { first.terminate(); first.waitUntilExit() }
        let port = try #require(line.firstMatch(of: /:(\d+)\//)).1
        let second = try run(["serve", "--port", String(port)])
        #expect(second.status == 1)
        #expect(second.stderr.contains("port \(port) on 127.0.0.1 is already in use"), "\(second)")
    }

    @Test func anotherHostNeedsTheFlagAndWarns() async throws {
        let (process, _, errors) = try await start(["--host", "0.0.0.0", "--port", "0"])
        process.terminate()
        process.waitUntilExit()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("warning: listening on 0.0.0.0. The demo users and tokens are public"))
    }
}
