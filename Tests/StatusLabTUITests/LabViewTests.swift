import Foundation
import StatusLabClient
import StatusLabCore
import StatusLabServer
import Testing
@testable import StatusLabTUI

/// What the Lab's views show at a given size: rows laid out at the width drawn, wrapping, the
/// help at 80x24, finding, and whole screens held to what they must read.
@Suite(.serialized) struct LabViewTests {
    @Test func longHeaderValuesWrapAtSpacesUnderTheirName() {
        let challenge = #"Bearer realm="statuslab", error="invalid_token", error_description="The access token expired""#
        let response = WireResponse(version: "HTTP/1.1", status: 401, reason: "Unauthorized",
                                    headers: [.init(name: "WWW-Authenticate", value: challenge)], body: [])
        let exchange = WireExchange(sent: [], received: [], response: response, failure: nil, duration: .milliseconds(1))
        let rows = LabViews.response(exchange, result: nil, library: library, width: 40, now: Date(), theme: Theme(color: false, unicode: true))
            .map { $0.runs.map(\.0).joined() }
        let header = Array(rows.drop { !$0.hasPrefix("WWW-Authenticate:") }.prefix { !$0.isEmpty })
        #expect(header == [#"WWW-Authenticate: Bearer"#, #"  realm="statuslab","#, #"  error="invalid_token","#,
                           #"  error_description="The access token"#, #"  expired""#], "\(rows)")
        #expect(rows.allSatisfy { DisplayWidth.of($0) <= 40 }, "no row is wider than the view")
    }

    /// ux-walk-1 H3: at 80x24 the help bar showed composing keys only and the `?` box lost
    /// Enter, g, f, c and q and could not scroll. The bar now shows what matters in the state
    /// the Lab is in, and the box scrolls to every key.
    @Test func atEightyByTwentyFourEveryKeyCanBeFound() async throws {
        try await withLab(size: Size(width: 80, height: 24)) { driver, _, folder in
            await driver.openLab()
            let before = driver.screen.line(23)
            #expect(before.contains("s send") && before.contains("q leave") && before.contains("a credentials"), "\(before)")
            driver.press(.char("s"))
            await driver.settle()
            let after = driver.screen.line(23)
            for entry in ["Enter open reference", "f flowchart", "c copy as curl", "s send", "q leave"] {
                #expect(after.contains(entry), "after a response the bar offers \(entry): \(after)")
            }
            driver.press(.char("?"))
            #expect(driver.contains("↑↓ PgDn more"), "\(driver.dump)")
            var seen = driver.text
            for _ in 0..<4 {
                driver.press(.pageDown)
                seen += driver.text
            }
            for key in ["Enter  open reference", "g      follow Location", "f      flowchart", "c      copy as curl", "q      leave",
                        "^Z     suspend", "^C     quit StatusLab"] {
                #expect(seen.contains(key), "the ? box reaches \(key)")
            }
            driver.press(.escape)
            #expect(!driver.contains("Esc or ? closes"))
            await driver.leave()
        }
    }

    /// ux-walk-1 M6: the Wire view cut Set-Cookie's attributes and the Decision view cut the
    /// answers at 80 columns. Both wrap now.
    @Test func wireAndDecisionWrapAtEighty() async throws {
        try await withLab(size: Size(width: 80, height: 24)) { driver, _, folder in
            await driver.openLab()
            try await driver.send(as: "Basic as alice, wrong password")
            driver.press(.char("2"))
            var seen = driver.text
            for _ in 0..<3 { driver.press(.pageDown); seen += driver.text }
            let flat = seen.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
            #expect(flat.contains("Unknown user, wrong password or a token the server never issued"), "\(seen)")
            driver.press(.char("a"), .char("w"), .char("s"))
            await driver.settle()
            driver.press(.char("3"))
            seen = driver.text
            for _ in 0..<8 { driver.press(.pageDown); seen += driver.text }
            #expect(seen.contains("SameSite=Lax"), "the cookie's attributes are on the Wire: \(seen)")
            await driver.leave()
        }
    }

    /// ux-walk-1: `/` finds a word in the response and on the wire.
    @Test func slashFindsInTheResponseAndTheWire() async throws {
        try await withLab(size: Size(width: 80, height: 24)) { driver, _, folder in
            await driver.openLab()
            driver.press(.char("s"))
            await driver.settle()
            driver.press(.char("/"))
            driver.type("realm")
            #expect(driver.contains("/realm"), "\(driver.dump)")
            driver.press(.enter)
            let status = try #require((0..<24).map { driver.screen.line($0) }.first { $0.contains("“realm”:") }, "\(driver.dump)")
            #expect(status.contains("/ Enter for the next"))
            let at = try #require(driver.screen.find("realm"))
            #expect(driver.screen[at.x, at.y].style == Theme.test.style(.selection), "\(driver.dump)")
            driver.press(.char("3"), .char("/"))
            driver.press(.ctrl("u"))
            driver.type("Content-Length")
            driver.press(.enter)
            #expect(driver.contains("“Content-Length”: 1 line"), "only the response sends one: \(driver.dump)")
            await driver.leave()
        }
    }

    /// content-audit-2: at 120 columns three ↓ highlighted one header and Enter opened another,
    /// because keys laid the rows out at 80. Whatever the width, Enter opens the highlighted row.
    @Test(arguments: [80, 120, 150]) func enterOpensTheHeaderThatIsHighlighted(width: Int) async throws {
        try await withLab(size: Size(width: width, height: 40)) { driver, _, folder in
            await driver.openLab()
            try await driver.send(as: "alice-expired-token")
            #expect(driver.contains(#"error="invalid_token""#), "\(driver.dump)")
            let selection = Theme.test.style(.selection)
            var opened = 0
            for downs in 1...3 {
                driver.press(.down)
                // The highlighted row, below the tab bar (which has a highlight of its own).
                let tabs = try #require((0..<40).first { driver.screen.line($0).contains("1 Response  2 Decision") })
                let row = try #require(((tabs + 1)..<40).first { y in (0..<width).contains { driver.screen[$0, y].style == selection } },
                                       "\(downs) ↓ highlight nothing: \(driver.dump)")
                // A long header wraps under its name: its first line names it.
                var first = row
                while first > tabs + 1, driver.screen.line(first).hasPrefix("   ") { first -= 1 }
                let text = driver.screen.line(first).trimmingCharacters(in: .whitespaces)
                // A header opens its own page, Content-Type and the body the page on problem details.
                let page = text.hasPrefix("Content-Type") || text.hasPrefix("Problem details") ? "Problem Details"
                    : String(text.split(separator: ":").first ?? "")
                driver.press(.enter)
                #expect(driver.screen.line(0).contains(page), "\(width) columns, \(downs) ↓: highlighted \(text), opened \(driver.screen.line(0))")
                opened += 1
                driver.press(.escape)
            }
            #expect(opened == 3)
            await driver.leave()
        }
    }

    /// At 120 columns the expired token's 401 lays its challenge (111 characters) out on one
    /// line, where at 80 it takes two: the rows are laid out at the width drawn, so the three ↓
    /// that at 80 reach the challenge's second line stop on its only line here (the last row
    /// with a page), and Enter opens what is highlighted. The rows are held to what they read.
    @Test func theResponseAtOneHundredAndTwentyColumns() async throws {
        let expired = try presetKey("alice-expired-token")
        try await withLab(size: Size(width: 120, height: 30)) { driver, _, _ in try await Self.responseAt120(&driver, expired) }
    }

    /// The body of the test above, out of its closure (which the 6.3.1 compiler crashes on).
    static func responseAt120(_ driver: inout Driver, _ expired: Key) async throws {
        await driver.openLab()
        driver.press(.char("a"), expired, .char("s"))
        await driver.settle()
        driver.press(.down, .down, .down)
        let screen = driver.screen
        let tabs = try #require((0..<30).first { screen.line($0).contains("1 Response  2 Decision") }, "\(driver.dump)")
        expectScreen(screen, region: Rect(x: 0, y: tabs + 1, width: 120, height: 5), equals: [
            " HTTP/1.1 401 Unauthorized",
            " Content-Type: application/problem+json",
            #" WWW-Authenticate: Bearer realm="statuslab", error="invalid_token", error_description="The access token expired""#,
            " StatusLab-Decision: auth: public=no > everyone=no > browser=no > credentials-present=yes > well-formed=yes >",
            "   credentials-check=expired > token-expired 401",
        ])
        let selection = Theme.test.style(.selection)
        let highlighted = (tabs + 1..<30).filter { screen[2, $0].style == selection }
        #expect(highlighted == [tabs + 3], "the challenge, on its one line: \(driver.dump)")
        driver.press(.enter)
        #expect(driver.screen.line(0).hasSuffix("WWW-Authenticate") || driver.screen.line(0).contains("› WWW-Authenticate "), "\(driver.dump)")
    }

    /// A small terminal (60x16): the server line cut at the edge, the whole composer, the tabs,
    /// the five rows of the view that fit with the scroll bar beside them, and the help bar.
    @Test func theLabInASmallTerminal() async throws {
        try await withLab(size: Size(width: 60, height: 16)) { driver, _, _ in
            await driver.openLab()
            driver.press(.char("s"))
            await driver.settle()
            let match = try #require(driver.text.firstMatch(of: /127\.0\.0\.1:(\d+)/), "\(driver.dump)")
            let server = " Built-in server: http://127.0.0.1:\(match.1)/ · curl it from another terminal too"
            expectScreen(driver.screen, equals: [
                " StatusLab › Lab                                     ? help",
                server.keeping(columns: 60),
                "┌─ Request ────────────────────────────────────────────────┐",
                "│ GET /api/profile                                         │",
                "│ Credentials: no credentials                              │",
                "│ Headers: none                                            │",
                "│ Policies: the server's   Body: none                      │",
                "│                                                          │",
                "└──────────────────────────────────────────────────────────┘",
                "  1 Response  2 Decision  3 Wire  4 Log  5 History",
                " HTTP/1.1 401 Unauthorized                                 █",
                " Content-Type: application/problem+json                    │",
                " WWW-Authenticate: Bearer realm=\"statuslab\"                │",
                " StatusLab-Decision: auth: public=no > everyone=no >       │",
                "   browser=no > credentials-present=no > hide-strangers=no │",
                " Enter open reference  f flowchart  c copy as curl   ? help",
            ])
        }
    }
}
