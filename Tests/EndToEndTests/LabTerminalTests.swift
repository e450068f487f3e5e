import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// The Lab as a person uses it: opened from the home menu in a real terminal, requests sent
/// with each kind of credentials, an outside curl seen in the log, resizes, and quitting.
@Suite(.serialized, .enabled(if: Tools.tmux, "the Lab is driven in tmux"), .enabled(if: Tools.curl, "curl plays the outside client"))
struct LabTerminalTests {
    @Test func openTheLabSendRequestsSeeOutsideExchangesAndLeaveNothingListening() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("lab-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let tmux = try TmuxSession(width: 100, height: 30, environment: "XDG_STATE_HOME=\(state.path)")
        try await tmux.waitFor("[l] Lab")
        try tmux.send("l")
        let opened = try await tmux.waitFor("Built-in server: http://127.0.0.1:")
        let port = try #require(opened.firstMatch(of: /127\.0\.0\.1:(\d+)/).map { String($0.1) })

        try tmux.send("s")
        try await tmux.waitFor(#"WWW-Authenticate: Bearer realm="statuslab""#)
        // Basic as alice: a 200 with her name.
        try tmux.send("a")
        try await tmux.waitFor("Basic as alice (user)")
        try tmux.send("1", "s")
        try await tmux.waitFor(#""user" : "alice""#)
        // A revoked token.
        try tmux.send("a")
        try await tmux.waitFor("Bearer bob-revoked-token (revoked)")
        try tmux.send("9", "s")
        try await tmux.waitFor(#"error="invalid_token""#)
        // Digest: two exchanges, the second accepted.
        try tmux.send("a", "d", "u", "C-u")
        try tmux.type("/digest-auth/auth/alice/wonderland")
        try tmux.send("Enter", "s")
        try await tmux.waitFor("2 exchanges (Digest as alice)")
        try await tmux.waitFor("HTTP/1.1 200 OK")

        // From outside, as a second terminal would: the exchange shows in the live log.
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        curl.arguments = ["curl", "-s", "-o", "/dev/null", "-u", "mallory:letmein", "http://127.0.0.1:\(port)/api/profile"]
        try curl.run()
        try tmux.send("4")
        try await tmux.waitFor("GET /api/profile 403  auth/blocked-identity")
        // Answered, so curl is done (or about to be): it is not left running.
        curl.waitUntilExit()
        #expect(curl.terminationStatus == 0)

        // Resizes while a response is shown.
        try tmux.send("1")
        try tmux.resize(width: 80, height: 24)
        try await tmux.waitFor("at 80x24") { $0.split(separator: "\n").count == 24 && $0.contains("1 Response") }
        try tmux.resize(width: 50, height: 15)
        try await tmux.waitFor("at 50x15") { $0.split(separator: "\n").count <= 15 && $0.contains("Request") }
        try tmux.resize(width: 100, height: 30)
        try await tmux.waitFor("HTTP/1.1 200 OK")

        // Quit from the Lab: the terminal is restored and the port is free.
        try tmux.send("C-c")
        try await tmux.waitFor("exit=0")
        #expect(try tmux.terminalRestored())
        #expect(!listening(on: Int(port)!), "port \(port) is still listening")
        #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("statuslab/lab-history.json").path))
    }
}
