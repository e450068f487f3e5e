import Foundation
import Testing
@testable import StatusLabCore

/// Recorded traffic: reading HAR and JSON lines, and judging exchanges by the model.
struct TrafficTests {
    let auth = builtInLibrary.diagram("auth")!

    /// One HAR entry as a browser's devtools or a proxy writes it.
    static func harEntry(_ url: String, method: String = "GET", request: [(String, String)] = [], status: Int,
                         response: [(String, String)] = [], text: String? = nil, base64: Bool = false) -> String {
        func headers(_ fields: [(String, String)]) -> String {
            "[" + fields.map { #"{"name":\#(JSONString.quoted($0.0)),"value":\#(JSONString.quoted($0.1))}"# }.joined(separator: ",") + "]"
        }
        let content = text.map { #"{"size":\#($0.utf8.count),"mimeType":"application/json","text":\#(JSONString.quoted($0))\#(base64 ? #","encoding":"base64""# : "")}"# } ?? #"{"size":0,"mimeType":"x-unknown"}"#
        return #"{"startedDateTime":"2026-12-03T10:15:30.250+01:00","time":12.5,"request":{"method":"\#(method)","url":\#(JSONString.quoted(url)),"httpVersion":"HTTP/1.1","headers":\#(headers(request)),"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},"response":{"status":\#(status),"statusText":"","httpVersion":"HTTP/1.1","headers":\#(headers(response)),"cookies":[],"content":\#(content),"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":0,"wait":12.5,"receive":0}}"#
    }

    static func har(_ entries: [String]) -> Data {
        Data(#"{"log":{"version":"1.2","creator":{"name":"test","version":"1"},"pages":[],"entries":[\#n\#(entries.joined(separator: ",\n"))]}}"#.utf8)
    }

    func read(_ data: Data) throws -> [RecordedExchange] {
        var read: [RecordedExchange] = []
        try TrafficFile.read(data) { read.append($0) }
        return read
    }

    func findings(_ entries: [String]) throws -> [TrafficFinding] {
        let data = Self.har(entries)
        var judge = TrafficJudge(auth: auth)
        try TrafficFile.read(data) { judge.learn($0.entry) }
        var findings: [TrafficFinding] = []
        try TrafficFile.read(data) { findings += judge.judge($0) }
        return findings
    }

    // MARK: Reading

    @Test func aHAREntryBecomesAnExchangeWithItsHeadersContentAndTime() throws {
        let data = Self.har([Self.harEntry("https://api.example/notes/1?x=1", request: [(":authority", "api.example"), ("Authorization", "Bearer abc")],
                                           status: 401, response: [("WWW-Authenticate", #"Bearer realm="api""#)], text: #"{"detail":"no"}"#)])
        let exchanges = try read(data)
        #expect(exchanges.count == 1)
        let entry = try #require(exchanges.first).entry
        #expect(exchanges[0].place == "entry 1")
        #expect(entry.method == "GET" && entry.target == "https://api.example/notes/1?x=1" && entry.status == 401)
        #expect(entry.requestHeaders == [.init(name: "Authorization", value: "Bearer abc")], "HTTP/2 pseudo-headers are not header fields")
        #expect(entry.responseHeaders.first?.value == #"Bearer realm="api""#)
        #expect(String(decoding: entry.responseContent, as: UTF8.self) == #"{"detail":"no"}"#)
        // 10:15:30.250 at +01:00 is 09:15:30.250 UTC.
        #expect(abs(entry.date.timeIntervalSince1970 - 1_796_289_330.25) < 0.001)
    }

    @Test func binaryContentInBase64IsDecoded() throws {
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0x10]
        let data = Self.har([Self.harEntry("/logo.png", status: 200, text: Data(bytes).base64EncodedString(), base64: true)])
        #expect(try read(data).first?.entry.responseContent == bytes)
    }

    @Test func aFileCutOffMidwayNamesTheEntryThatBroke() throws {
        let whole = Self.har([Self.harEntry("/a", status: 200), Self.harEntry("/b", status: 200), Self.harEntry("/c", status: 200)])
        let cut = whole.prefix(whole.count * 2 / 3)
        let problem = #expect(throws: TrafficFile.Problem.self) { try read(Data(cut)) }
        #expect(problem?.place.hasPrefix("entry 2") == true, "\(problem?.description ?? "")")
        #expect(problem?.message.contains("the file ends in the middle") == true)
    }

    @Test func aFileThatIsNeitherSaysSoAndWhere() throws {
        let notJSON = #expect(throws: TrafficFile.Problem.self) { try read(Data("GET / HTTP/1.1\r\n".utf8)) }
        #expect(notJSON?.description == "line 1: neither HAR nor JSON lines: the file starts with 'G', not '{'")
        let otherJSON = #expect(throws: TrafficFile.Problem.self) { try read(Data(#"{"openapi": "3.1.0", "paths": {}}"#.utf8)) }
        #expect(otherJSON?.description.hasPrefix("line 1: neither HAR nor JSON lines: not a StatusLab exchange record") == true,
                "\(otherJSON?.description ?? "")")
        let empty = #expect(throws: TrafficFile.Problem.self) { try read(Data()) }
        #expect(empty?.message.contains("empty") == true)
    }

    @Test func aTenMegabyteHeaderValueIsReadAndNotCopiedIntoMessages() throws {
        let huge = String(repeating: "a", count: 10 * 1024 * 1024)
        let data = Self.har([Self.harEntry("/x", request: [("X-Huge", huge)], status: 401)])
        let exchanges = try read(data)
        #expect(exchanges.first?.entry.requestHeaders.first?.value.count == huge.count)
        let findings = try findings([Self.harEntry("/x", request: [("X-Huge", huge)], status: 401)])
        #expect(findings.map(\.rule) == ["401 without a challenge"])
        #expect(findings.allSatisfy { $0.detail.count < 1000 })
    }

    @Test func jsonLinesRoundTripWhatTheServerRecorded() throws {
        let entry = LabLogEntry(number: 1, date: Date(timeIntervalSince1970: 1_796_289_330.25), method: "GET", target: "/api/notes?q=\"x\"",
                                status: 401, interim: [100], decision: "auth: public=no > challenge 401",
                                requestHeaders: [.init(name: "Host", value: "127.0.0.1:8401")],
                                responseHeaders: [.init(name: "WWW-Authenticate", value: #"Bearer realm="statuslab""#)],
                                bodyPrefix: "", responseContent: Array("line one\nline two\u{1}".utf8), duration: .microseconds(1500))
        let binary = LabLogEntry(number: 2, date: entry.date, method: "GET", target: "/bytes", status: 200, interim: [], decision: nil,
                                 requestHeaders: [], responseHeaders: [], bodyPrefix: "", responseContent: [0xFF, 0x00, 0xFE], duration: .zero)
        let text = ExchangeRecord.line(entry) + "\n\n" + ExchangeRecord.line(binary) + "\n"
        let read = try read(Data(text.utf8))
        #expect(read.map(\.place) == ["line 1", "line 3"])
        #expect(read[0].entry == entry)
        #expect(read[1].entry.responseContent == [0xFF, 0x00, 0xFE])
    }

    @Test func aBrokenJSONLineIsNamed() throws {
        let good = ExchangeRecord.line(LabLogEntry(number: 1, date: Date(), method: "GET", target: "/", status: 200, interim: [], decision: nil,
                                                   requestHeaders: [], responseHeaders: [], bodyPrefix: "", duration: .zero))
        let problem = #expect(throws: TrafficFile.Problem.self) { try read(Data((good + "\n" + good + "\n{\"method\": \"GET\",\n").utf8)) }
        #expect(problem?.place == "line 3", "\(problem?.description ?? "")")
    }

    // MARK: Judging

    @Test func a403OrAHidingAnswerToACallerWithoutCredentialsIsFound() throws {
        let found = try findings([
            Self.harEntry("/notes/1", request: [("Accept", "application/json")], status: 403),
            Self.harEntry("/notes/2", request: [("Accept", "application/json")], status: 401, response: [("WWW-Authenticate", "Bearer")]),
            Self.harEntry("/notes/3", request: [("Accept", "application/json")], status: 404),
        ])
        #expect(found.map(\.rule) == ["403 without credentials", "anonymous 404 and 401 on one route"])
        #expect(found[0].path?.hasSuffix("challenge 401") == true)
        #expect(found[1].detail.contains("GET /notes/{id}"))
    }

    @Test func challengesMustBeThereAndInTheSchemeSent() throws {
        let found = try findings([
            Self.harEntry("/a", status: 401),
            // Basic is taken here (a success with it), so a 401 to Basic credentials must offer Basic.
            Self.harEntry("/b", request: [("Authorization", "Basic " + Data("ann:pw".utf8).base64EncodedString())], status: 200),
            Self.harEntry("/c", request: [("Authorization", "Basic " + Data("ann:wrong".utf8).base64EncodedString())], status: 401,
                          response: [("WWW-Authenticate", "Bearer")]),
        ])
        #expect(found.map(\.rule) == ["401 without a challenge", "challenge in another scheme"])
    }

    @Test func bearerErrorCodesFollowRFC6750() throws {
        let found = try findings([
            Self.harEntry("/a", status: 401, response: [("WWW-Authenticate", #"Bearer error="invalid_token""#)]),
            Self.harEntry("/b", request: [("Authorization", "Bearer abc")], status: 401, response: [("WWW-Authenticate", #"Bearer realm="x""#)]),
            Self.harEntry("/c", request: [("Authorization", "Bearer abc")], status: 401, response: [("WWW-Authenticate", #"Bearer error="insufficient_scope""#)]),
            Self.harEntry("/d", request: [("Authorization", "Bearer abc")], status: 403, response: [("WWW-Authenticate", #"Bearer error="insufficient_scope""#)]),
        ])
        #expect(found.map(\.rule) == ["no error code", "invalid_token", "invalid_token", "insufficient_scope"])
        #expect(found.map(\.place) == ["entry 1", "entry 2", "entry 3", "entry 3"])
    }

    @Test func aLoginRedirectIsForBrowsersOnly() throws {
        let found = try findings([
            Self.harEntry("/dash", request: [("Accept", "application/json")], status: 302, response: [("Location", "/login?next=/dash")]),
            Self.harEntry("/dash", request: [("Accept", "application/json"), ("Authorization", "Bearer abc")], status: 302, response: [("Location", "/login")]),
            Self.harEntry("/dash", request: [("Accept", "text/html,application/xhtml+xml"), ("Sec-Fetch-Mode", "navigate")], status: 302,
                          response: [("Location", "/login")]),
        ])
        #expect(found.map(\.place) == ["entry 1", "entry 2"])
        #expect(found.allSatisfy { $0.rule == "login redirect to a script" })
        #expect(found[0].detail.contains("expected 401"))
    }

    @Test func requiredHeadersAndErrorBodies() throws {
        let found = try findings([
            Self.harEntry("/health", method: "DELETE", status: 405),
            Self.harEntry("/old", status: 301),
            Self.harEntry("/search", status: 200, text: #"{"error": "q is required"}"#),
            Self.harEntry("/fine", status: 200, text: #"{"error": null, "items": []}"#),
        ])
        #expect(found.map(\.rule) == ["405 without Allow", "301 without Location", "200 with an error body"])
    }

    @Test func aRouteThatHidesFromOneCallerAndRefusesAnotherIsFound() throws {
        let found = try findings([
            Self.harEntry("/notes/1", request: [("Authorization", "Bearer bob")], status: 403),
            Self.harEntry("/notes/2", request: [("Authorization", "Bearer carol")], status: 404),
            Self.harEntry("/notes/7", request: [("Authorization", "Bearer carol")], status: 404),
        ])
        #expect(found.map(\.rule) == ["403 to one caller, 404 to another"], "given once for the route")
    }

    @Test func theSameRequestRefusedThreeTimesIsALoop() throws {
        let refused = Self.harEntry("/me", request: [("Authorization", "Bearer abc")], status: 401, response: [("WWW-Authenticate", #"Bearer error="invalid_token""#)])
        #expect(try findings([refused, refused]).isEmpty)
        #expect(try findings([refused, refused, refused]).map(\.rule) == ["401 loop"])
        // Without credentials, asking again is polling: every answer is the same challenge.
        let anonymous = Self.harEntry("/me", status: 401, response: [("WWW-Authenticate", #"Bearer realm="x""#)])
        #expect(try findings([anonymous, anonymous, anonymous, anonymous]).isEmpty)
    }

    /// A fetch() that accepts HTML may be rendering a page: not held to the script's rule.
    @Test func aLoginRedirectIsJudgedOnlyForAScriptThatAskedForData() throws {
        let found = try findings([
            Self.harEntry("/account", request: [("Accept", "text/html,application/xhtml+xml"), ("Sec-Fetch-Mode", "cors")], status: 303,
                          response: [("Location", "/login?next=/account")]),
            Self.harEntry("/account", request: [("Accept", "application/json"), ("Sec-Fetch-Mode", "cors")], status: 303,
                          response: [("Location", "/login?next=/account")]),
        ])
        #expect(found.map(\.place) == ["entry 2"])
    }

    @Test func correctAnswersHaveNoFindings() throws {
        let found = try findings([
            Self.harEntry("/notes/1", request: [("Accept", "application/json")], status: 401, response: [("WWW-Authenticate", #"Bearer realm="api""#)]),
            Self.harEntry("/notes/1", request: [("Authorization", "Bearer x!")], status: 400,
                          response: [("WWW-Authenticate", #"Bearer error="invalid_request""#)]),
            Self.harEntry("/notes/1", request: [("Authorization", "Bearer alice")], status: 200, text: #"{"id": 1}"#),
            Self.harEntry("/notes/2", request: [("Authorization", "Bearer alice")], status: 404),
            Self.harEntry("/notes/1", request: [("Authorization", "Bearer reader")], status: 403,
                          response: [("WWW-Authenticate", #"Bearer error="insufficient_scope", scope="notes:write""#)]),
            Self.harEntry("/app", request: [("Sec-Fetch-Mode", "navigate"), ("Accept", "text/html")], status: 303, response: [("Location", "/login")]),
            Self.harEntry("/health", status: 200, text: #"{"status": "ok"}"#),
        ])
        #expect(found.isEmpty, "\(found.map(\.rule))")
    }

    @Test func everyPageAFindingPointsToExists() throws {
        let every = try findings([
            Self.harEntry("/a", status: 403), Self.harEntry("/a", request: [("Authorization", "Basic !!")], status: 403),
            Self.harEntry("/b/1", status: 401, response: [("WWW-Authenticate", #"Bearer error="x""#)]), Self.harEntry("/b/2", status: 404),
            Self.harEntry("/c", status: 401), Self.harEntry("/c", request: [("Authorization", "Bearer t")], status: 401, response: [("WWW-Authenticate", "Bearer")]),
            Self.harEntry("/d", request: [("Authorization", "Bearer t")], status: 401, response: [("WWW-Authenticate", #"Bearer error="insufficient_scope""#)]),
            Self.harEntry("/e", request: [("Accept", "application/json")], status: 302, response: [("Location", "/login")]),
            Self.harEntry("/f", method: "DELETE", status: 405), Self.harEntry("/g", status: 307), Self.harEntry("/h", status: 200, text: #"{"errors": [1]}"#),
            Self.harEntry("/i/1", request: [("Authorization", "Bearer a")], status: 403), Self.harEntry("/i/2", request: [("Authorization", "Bearer b")], status: 404),
            Self.harEntry("/j", request: [("Authorization", "Bearer t")], status: 401, response: [("WWW-Authenticate", "Bearer")]),
            Self.harEntry("/j", request: [("Authorization", "Bearer t")], status: 401, response: [("WWW-Authenticate", "Bearer")]),
            Self.harEntry("/j", request: [("Authorization", "Bearer t")], status: 401, response: [("WWW-Authenticate", "Bearer")]),
        ])
        #expect(Set(every.map(\.rule)) == ["403 without credentials", "403 with credentials that cannot be parsed", "no error code",
                                           "anonymous 404 and 401 on one route", "401 without a challenge", "invalid_token", "insufficient_scope",
                                           "login redirect to a script", "405 without Allow", "307 without Location", "200 with an error body",
                                           "403 to one caller, 404 to another", "401 loop"])
        for finding in every {
            #expect(builtInLibrary.page(finding.page) != nil, "\(finding.rule) points to \(finding.page)")
        }
    }
}
