import Foundation
import Glibc
import StatusLabClient
import StatusLabCore
import Testing
@testable import StatusLabCheck

/// `check --openapi` on an app made with a real framework: scripts/judge-fixtures/notes_app.py
/// (FastAPI's HTTPBearer, with deliberate mistakes), served by uvicorn from the venvs `.ci/run`
/// makes: FastAPI today, and 0.121, the last release that answered a missing token with 403.
@Suite(.serialized) struct FastAPITests {
    static let current = "/tmp/statuslab-venv/bin/python"
    static let old = "/tmp/statuslab-venv-old/bin/python"
    static let app = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/judge-fixtures")

    /// Starts the app on a free port and waits until it answers.
    static func serve(with python: String) async throws -> (Process, Int) {
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-m", "uvicorn", "notes_app:app", "--host", "127.0.0.1", "--port", String(port), "--log-level", "warning"]
        process.currentDirectoryURL = app
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            let probe = await LabClient().send(LabRequest(url: "http://127.0.0.1:\(port)/health"), base: nil)
            if probe.final?.response?.status == 200 { return (process, port) }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop(process)
        throw CancellationError()
    }

    /// SIGKILL: a child started from the test process inherits its blocked signals, so uvicorn
    /// never sees a SIGTERM.
    static func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A port nothing listens on now: bound, read, released.
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw CancellationError() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static let plan = """
        credentials:
          alice: { bearer: alice-token }
          bob: { bearer: bob-token }
        params: { note_id: 1 }
        resources:
          - { path: "/notes/{note_id}", allow: [alice], hidden: true }
          - { path: /admin, allow: [] }
        missing: /notes/999
        """

    func check(_ python: String) async throws -> SpecCheck.Report {
        let (process, port) = try await Self.serve(with: python)
        defer { Self.stop(process) }
        let base = "http://127.0.0.1:\(port)"
        let fetched = await LabClient().send(LabRequest(url: base + "/openapi.json"), base: nil)
        let spec = try APISpec.parse(String(decoding: try #require(fetched.final?.response?.body), as: UTF8.self))
        return await SpecCheck(spec: spec, plan: try CheckPlan.parse(Self.plan, forSpec: true), base: base,
                               auth: library.diagram("auth")!).run()
    }

    static func failed(_ report: SpecCheck.Report) -> [String] {
        report.results.filter { !$0.passed }.map { $0.name.replacing(#/http://127\.0\.0\.1:\d+/#, with: "") }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: current)))
    func currentFastAPIChallengesButTheAppsMistakesAreFound() async throws {
        let report = try await check(Self.current)
        let failed = Self.failed(report)
        // FastAPI documents no 401 for any secured operation.
        #expect(report.specFindings.count == 5, "\(report.specFindings.map(\.name))")
        #expect(!failed.contains("GET /notes (none)"), "a missing token gets 401 with a challenge since FastAPI 0.122")
        #expect(failed.contains("GET /admin (none): challenge"))
        #expect(failed.contains("GET /admin (alice)"), "known but not an admin: 403, not 401")
        #expect(failed.contains("GET /dashboard (none)"), "a login redirect to a script")
        #expect(failed.contains("GET /search (alice): error body"))
        #expect(failed.contains("GET /notes/{note_id} hidden like /notes/999 (bob)"))
        #expect(failed.contains("HEAD /notes (none): as GET"), "FastAPI answers HEAD with 405")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: old)))
    func fastAPIBefore0122Answers403ToAMissingToken() async throws {
        let report = try await check(Self.old)
        let failed = Self.failed(report)
        #expect(failed.contains("GET /notes (none)"))
        let detail = report.results.first { $0.name.hasSuffix("/notes (none)") && $0.name.hasPrefix("GET") }?.detail ?? ""
        #expect(detail.contains("expected 401 Unauthorized (no credentials: challenge)") && detail.contains("got 403 Forbidden"), "\(detail)")
    }
}
