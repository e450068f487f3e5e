import Foundation
import StatusLabClient
import StatusLabCore
import StatusLabServer
import Testing
@testable import StatusLabTUI

/// A Lab on the real built-in server (a free port), opened from the home screen, its history in
/// a fresh folder. Whatever `body` does, the server is then stopped (and the stop awaited) and the
/// folder removed.
func withLab(size: Size = Size(width: 100, height: 30),
             _ body: (inout Driver, LiveLabBackend, URL) async throws -> Void) async throws {
    let backend = LiveLabBackend(diagrams: try ServerDiagrams(library), port: 0)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lab-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let history = LabHistory.store(folder.appendingPathComponent("lab-history.json"))
    let home = HomeScreen(library: library, lab: { LabScreen(backend: backend, library: library, history: history) })
    var driver = Driver(size: size, root: home)
    try await stopping(backend) { try await body(&driver, backend, folder) }
}

extension Driver {
    /// From the home screen into the Lab, its server started.
    mutating func openLab() async {
        press(.char("l"))
        await settle()
    }

    /// Leaves the Lab; its server's stop is awaited.
    mutating func leave() async {
        press(.char("q"))
        await settle()
    }

    /// Picks the demo credentials whose label contains `label` and sends the request.
    mutating func send(as label: String) async throws {
        press(.char("a"), try presetKey(label), .char("s"))
        await settle()
    }
}

/// The key that picks the demo credentials whose label contains `label`.
func presetKey(_ label: String) throws -> Key {
    .char(try #require(LiveLabBackend.demoPresets.first { $0.label.contains(label) }?.key))
}

/// The Lab against the real built-in server, driven with keys: composing, sending, the views
/// of what came back, following and the flowchart.
@Suite(.serialized) struct LabScreenTests {
    @Test func clicksSwitchViewsAndOpenAHeadersPage() async throws {
        try await withLab { driver, backend, folder in
            driver.click("[l] Lab")
            await driver.settle()
            driver.click("s send  q leave")
            await driver.settle()
            #expect(driver.contains("HTTP/1.1 401 Unauthorized"), "\(driver.dump)")
            driver.click("3 Wire")
            #expect(driver.contains("GET /api/profile HTTP/1.1␍␊"), "\(driver.dump)")
            driver.click("1 Response")
            driver.click("WWW-Authenticate:")
            #expect(driver.screen.line(0).contains("WWW-Authenticate"), "a header line opens its page: \(driver.dump)")
            driver.press(.char("q"))
            driver.press(.char("q"))
            await driver.settle()
            await backend.shutdown()
        }
    }

    @Test func sendSeeTheChallengeTheDecisionTheWireAndTheHistory() async throws {
        try await withLab { driver, backend, folder in
            #expect(driver.contains("[l] Lab"))
            await driver.openLab()
            #expect(driver.contains("Built-in server: http://127.0.0.1:"), "\(driver.dump)")
            driver.press(.char("s"))
            await driver.settle()
            #expect(driver.contains("HTTP/1.1 401 Unauthorized"), "\(driver.dump)")
            #expect(driver.contains(#"WWW-Authenticate: Bearer realm="statuslab""#))
            #expect(driver.contains("Problem details (RFC 9457)"))

            driver.press(.char("2"))
            #expect(driver.contains("Decided by the auth diagram"), "\(driver.dump)")
            #expect(driver.contains("1. Is this URL in an area anyone may see without logging in? → no"))
            #expect(driver.contains("⇒ 401 Unauthorized  no credentials: challenge"))

            driver.press(.char("3"))
            #expect(driver.contains("GET /api/profile HTTP/1.1␍␊"), "\(driver.dump)")
            #expect(driver.contains("HTTP/1.1 401 Unauthorized␍␊"))

            // Bearer with an expired token, chosen in the picker.
            driver.press(.char("a"))
            #expect(driver.contains("Bearer alice-expired-token (expired)"), "\(driver.dump)")
            driver.press(try presetKey("alice-expired-token"), .char("s"))
            await driver.settle()
            driver.press(.char("1"))
            #expect(driver.contains(#"WWW-Authenticate: Bearer realm="statuslab", error="invalid_token""#), "\(driver.dump)")
            driver.press(.char("2"))
            #expect(driver.contains("⇒ 401 Unauthorized  token expired"), "\(driver.dump)")

            driver.press(.char("5"))
            #expect(driver.contains("GET /api/profile 401  Bearer alice-expired-token"), "\(driver.dump)")
            #expect(driver.contains("GET /api/profile 401  no credentials"))

            driver.press(.char("c"))
            #expect(driver.contains("curl -i -H 'Authorization: Bearer alice-expired-token' http://127.0.0.1:"), "\(driver.dump)")
            #expect(driver.pendingClipboard.first?.hasPrefix("curl -i -H 'Authorization: Bearer alice-expired-token'") == true)
            driver.press(.char("x"))

            driver.press(.char("f"))
            #expect(driver.screen.line(0).contains("Flowchart: auth"), "\(driver.dump)")
            #expect(driver.contains("HTTP/1.1 401 Unauthorized"))
            #expect(driver.contains("error=\"invalid_token\""))
            driver.press(.escape)
            #expect(driver.screen.line(0).contains("Lab"))

            // Leaving the Lab stops its server.
            let url = try #require(driver.text.firstMatch(of: /http:\/\/127\.0\.0\.1:(\d+)/)).0
            driver.press(.char("q"))
            await driver.settle()
            let after = await backend.send(LabRequest(url: "/api/profile"), base: String(url))
            // Nothing answers any more: no response, a connection failure (refused; once, under the
            // full suite's load, a reset), and the backend has no server.
            #expect(after.final?.response == nil && after.final?.failure?.contains("connection") == true,
                    "\(String(describing: after.final?.failure))")
            #expect(backend.serverURL == nil)
            // The history was kept.
            let saved = LabHistory.store(folder.appendingPathComponent("lab-history.json")).load().value
            #expect(saved?.entries.count == 2)
        }
    }

    @Test func headersOpenTheirReferencePagesAndRedirectsAreFollowed() async throws {
        try await withLab { driver, _, folder in
            await driver.openLab()
            driver.press(.char("u"))
            driver.press(.ctrl("u"))
            driver.type("/app/no")
            driver.press(.tab)
            #expect(driver.contains("URL: /app/notes"), "completion: \(driver.dump)")
            // ux-walk-1 L1: a pattern completes with the demo world's values; M replaces the method.
            driver.press(.ctrl("u"))
            driver.type("/api/no")
            driver.press(.tab)
            #expect(driver.contains("URL: /api/notes/1"), "\(driver.dump)")
            driver.press(.ctrl("u"))
            driver.type("/app/no")
            driver.press(.tab)
            driver.press(.enter, .char("s"))
            await driver.settle()
            #expect(driver.contains("HTTP/1.1 303 See Other"), "\(driver.dump)")
            #expect(driver.contains("Location: /app/login?next=%2Fapp%2Fnotes"))
            driver.press(.down)  // the first header line that has a page: Location
            driver.press(.enter)
            #expect(driver.screen.line(0).contains("Location"), "\(driver.dump)")
            driver.press(.escape)
            driver.press(.char("g"))
            await driver.settle()
            #expect(driver.contains("GET http://127.0.0.1:"), "\(driver.dump)")
            #expect(driver.contains("HTTP/1.1 200 OK"))
            #expect(driver.contains("Log in"))
            await driver.leave()
        }
    }

    @Test func aMalformedURLOrHeaderIsRefusedInTheComposer() async throws {
        try await withLab(size: Size(width: 80, height: 24)) { driver, _, folder in
            await driver.openLab()
            driver.press(.char("+"))
            driver.type("no colon here")
            driver.press(.enter)
            #expect(driver.contains("A header line is `Name: value`."), "\(driver.dump)")
            driver.press(.escape, .char("u"), .ctrl("u"))
            driver.type("ftp://example.test/")
            driver.press(.enter, .char("s"))
            #expect(driver.contains("Not sent: ftp:// is not supported here"), "\(driver.dump)")
            await driver.leave()
        }
    }

    @Test func typingAMethodReplacesTheOneThere() async throws {
        try await withLab { driver, _, folder in
            await driver.openLab()
            driver.press(.char("M"))
            driver.type("PURGE")
            driver.press(.enter)
            #expect(driver.contains("PURGE /api/profile") && !driver.contains("GETPURGE"), "\(driver.dump)")
            driver.press(.char("M"), .enter)
            #expect(driver.contains("PURGE /api/profile"), "Enter with nothing typed keeps the method")
            await driver.leave()
        }
    }

    /// ux-walk-1 M2: after a Basic request, `f` showed the outcome with a Bearer invalid_token
    /// challenge the server never sent. The flowchart opened from an exchange shows its headers.
    @Test func theFlowchartFromAnExchangeShowsWhatTheServerSent() async throws {
        try await withLab(size: Size(width: 100, height: 40)) { driver, _, folder in
            await driver.openLab()
            try await driver.send(as: "Basic as alice, wrong password")
            #expect(driver.contains(#"WWW-Authenticate: Basic realm="statuslab""#), "\(driver.dump)")
            // The composer changes: the answer below is said to be the earlier request's.
            driver.press(.char("a"), .char("0"))
            #expect(driver.contains("The answer to the request sent before (GET /api/profile, Basic alice:wrong)"), "\(driver.dump)")
            driver.press(.char("a"), try presetKey("Basic as alice, wrong password"))
            #expect(!driver.contains("The answer to the request sent before"))
            driver.press(.char("f"))
            #expect(driver.contains("Outcome after"), "\(driver.dump)")
            #expect(driver.contains("As this server sent it:"))
            #expect(driver.contains(#"WWW-Authenticate: Basic realm="statuslab", charset="UTF-8""#), "\(driver.dump)")
            #expect(!driver.contains("WWW-Authenticate: Bearer"), "no Bearer challenge the server never sent")
            driver.press(.escape, .char("q"))
            await driver.settle()
        }
    }
}
