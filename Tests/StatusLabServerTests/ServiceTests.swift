import Foundation
import StatusLabContent
import StatusLabCore
import Testing
@testable import StatusLabServer

@Suite struct DecidedByTheModelTests {
    /// One request for each outcome of the auth diagram.
    static let cases: [(outcome: String, path: String, method: String, headers: [(name: String, value: String)], query: [(name: String, value: String)])] = [
        ("not-found", "/api/notes/99", "GET", [basic("alice", "wonderland")], []),
        ("ok-public", "/api/public", "GET", [], []),
        ("challenge", "/api/profile", "GET", [], []),
        ("login-redirect", "/app/notes", "GET", [], []),
        ("login-in-place", "/app/notes", "GET", [], [("login", "401")]),
        ("hidden-from-strangers", "/hidden-basic-auth/alice/wonderland", "GET", [], []),
        ("malformed", "/api/profile", "GET", [("Authorization", "Bearer not a token")], []),
        ("bad-credentials", "/api/profile", "GET", [basic("alice", "wrong")], []),
        ("token-expired", "/api/profile", "GET", [bearer("alice-expired-token")], []),
        ("token-revoked", "/api/profile", "GET", [bearer("bob-revoked-token")], []),
        ("blocked-identity", "/api/profile", "GET", [basic("mallory", "letmein")], []),
        ("forbidden-for-all", "/api/internal", "GET", [basic("bob", "builder")], []),
        ("hidden-private", "/api/notes/2", "GET", [basic("alice", "wonderland")], []),
        ("hidden-forbidden", "/api/notes/1", "DELETE", [bearer("alice-read-token")], [("hide", "on")]),
        ("no-permission", "/api/notes/1", "DELETE", [bearer("alice-read-token")], []),
        ("ok", "/api/notes/1", "GET", [basic("alice", "wonderland")], []),
    ]

    @Test func everyOutcomeHasARequestThatProducesIt() {
        #expect(Set(Self.cases.map(\.outcome)) == Set(authDiagram.outcomes.map(\.id)))
    }

    @Test(arguments: cases.indices)
    func theServerSaysWhatTheEngineSays(_ index: Int) throws {
        let c = Self.cases[index]
        let response = get(c.path, c.headers, method: c.method, query: c.query)
        let header = try #require(response.header(StatusLabHeader.decision), "\(c.outcome): no decision header")
        // Replay the header's path through the engine: it must reach the same outcome.
        let (outcome, described) = try #require(replay(header), "\(c.outcome): the header's answers do not reach an outcome: \(header)")
        #expect(header.hasPrefix("auth: "))
        #expect(outcome.id == c.outcome, "\(header)")
        #expect(response.status == outcome.status)
        #expect(header == described)
        for name in HeaderRules.requiredHeaders(for: response.status) {
            #expect(response.header(name) != nil, "\(c.outcome): \(response.status) without \(name)")
        }
    }

    /// ux-walk-1 M7: the 403 page says a hidden 404 must be indistinguishable from a genuine
    /// one; the server taught the leak it warns against. Now only the decision header (a
    /// teaching aid) differs.
    @Test func aHidden404IsByteForByteAGenuineOne() {
        func withoutDecision(_ response: ServiceResponse) -> [String] {
            response.headers.filter { $0.name != StatusLabHeader.decision }.map { "\($0.name): \($0.value)" }
        }
        let genuine = get("/api/notes/99", [basic("alice", "wonderland")])
        for hidden in [get("/api/notes/2", [basic("alice", "wonderland")]),
                       get("/api/notes/1", [bearer("alice-read-token")], method: "DELETE", query: [("hide", "on")])] {
            #expect(hidden.status == 404 && genuine.status == 404)
            #expect(hidden.body == genuine.body, "\(String(decoding: hidden.body, as: UTF8.self))")
            #expect(withoutDecision(hidden) == withoutDecision(genuine))
            #expect(hidden.header(StatusLabHeader.decision) != genuine.header(StatusLabHeader.decision))
        }
    }

    @Test func bearerRefusalsFollowRFC6750() {
        #expect(get("/api/profile").header("WWW-Authenticate") == #"Bearer realm="statuslab""#)
        #expect(get("/api/profile", [bearer("alice-expired-token")]).header("WWW-Authenticate")
                == #"Bearer realm="statuslab", error="invalid_token", error_description="The access token expired""#)
        #expect(get("/api/profile", [bearer("alice-expired-token")], query: [("describe", "off")]).header("WWW-Authenticate")
                == #"Bearer realm="statuslab", error="invalid_token""#)
        #expect(get("/api/notes/1", [bearer("alice-read-token")], method: "DELETE").header("WWW-Authenticate")
                == #"Bearer realm="statuslab", error="insufficient_scope", scope="notes:write""#)
        #expect(get("/api/profile", [("Authorization", "Bearer a b")]).status == 400)
        #expect(get("/api/profile", [bearer("alice-read-token")], query: [("access_token", "alice-read-token")]).status == 400)
    }

    @Test func basicRefusalsCarryABasicChallenge() {
        let response = get("/api/profile", [basic("alice", "nope")])
        #expect(response.status == 401)
        #expect(response.header("WWW-Authenticate") == #"Basic realm="statuslab", charset="UTF-8""#)
        #expect(get("/api/profile", [("Authorization", "Basic !!!")]).status == 400)
    }

    @Test func errorBodiesAreProblemDetails() throws {
        let response = get("/api/internal", [basic("bob", "builder")])
        #expect(response.header("Content-Type") == "application/problem+json")
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: Any]
        #expect(json["status"] as? Int == 403)
        #expect(json["title"] as? String == "Forbidden")
        #expect((json["type"] as? String)?.hasSuffix("/forbidden-for-all") == true)
        #expect((json["detail"] as? String)?.isEmpty == false)
        #expect(response.bodyText.contains(#""type" : "https://statuslab.invalid/problems/"#), "slashes as they are, not \\/")
    }

    @Test func jsonBodiesEscapeWhatJSONRequiresAndParseBack() throws {
        let tricky = "quote \" backslash \\ newline \n tab \t bell \u{07} slash / é ✓"
        let text = JSONText.encode(["value": tricky, "list": [1, true, "/a/b"]])
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(json["value"] as? String == tricky)
        #expect(text.contains(#"\u0007"#) && text.contains(#""/a/b""#))
    }

    @Test func policiesFlipPerRequestAndPerServer() {
        #expect(get("/api/notes/1", [bearer("alice-read-token")], method: "DELETE", query: [("hide", "on")]).status == 404)
        #expect(get("/api/notes/1", [bearer("alice-read-token"), ("StatusLab-Policy", "hide=on")], method: "DELETE").status == 404)
        let hiding = MockService(diagrams: diagrams, policies: Policies(hideForbidden: true))
        #expect(get("/api/notes/1", [bearer("alice-read-token")], method: "DELETE", service: hiding).status == 404)
        #expect(get("/api/notes/1", [bearer("alice-read-token")], method: "DELETE", query: [("hide", "off")], service: hiding).status == 403)
        let browser = get("/app/notes", query: [("login", "401")])
        #expect(browser.status == 401)
        #expect(browser.header("WWW-Authenticate") != nil, "every 401 carries a challenge")
    }
}

@Suite struct RoutingTests {
    @Test func unknownPathsAndWrongMethods() {
        #expect(get("/nowhere").status == 404)
        // In a private area, who is asking comes first: a stranger gets the same 401 for a
        // method the resource does not take as for any other request there.
        #expect(get("/api/notes/1", method: "POST").status == 401)
        let wrong = get("/api/notes/1", [basic("alice", "wonderland")], method: "POST")
        #expect(wrong.status == 405)
        #expect(wrong.header("Allow") == "DELETE, GET, HEAD")
        #expect(get("/headers", method: "PUT").header("Allow") == "GET, HEAD")
    }

    @Test func headIsDecidedAsGetAndFramedWithoutContent() {
        let getResponse = get("/api/notes/1", [basic("alice", "wonderland")])
        let head = get("/api/notes/1", [basic("alice", "wonderland")], method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body == getResponse.body, "the service answers as for GET; the writer leaves the content out")
        #expect(head.header(StatusLabHeader.decision) == getResponse.header(StatusLabHeader.decision))
        let framing = Framing(status: head.status, method: "HEAD", bodyCount: head.body.count)
        #expect(!framing.sendsContent)
        #expect(framing.contentLength == "\(getResponse.body.count)")
    }

    @Test(arguments: [100, 103, 200, 204, 205, 304, 401, 404, 500])
    func framingFollowsTheStatusAndTheMethod(_ status: Int) {
        for method in ["GET", "HEAD", "POST"] {
            let framing = Framing(status: status, method: method, bodyCount: 12)
            let bodiless = status < 200 || status == 204 || status == 304
            #expect(framing.sendsContent == (!bodiless && status != 205 && method != "HEAD"), "\(status) \(method)")
            #expect(framing.contentLength == (bodiless ? nil : status == 205 ? "0" : "12"), "\(status) \(method)")
        }
    }

    @Test func statusAnswersWithTheHeadersEachCodeRequires() {
        for code in 200...599 {
            let response = get("/status/\(code)")
            #expect(response.status == code)
            for name in HeaderRules.requiredHeaders(for: code) { #expect(response.header(name) != nil, "\(code) lacks \(name)") }
        }
        #expect(get("/status/429").header("Retry-After") == "30")
        #expect(get("/status/503").header("Retry-After") == "30")
        #expect(get("/status/407").header("Proxy-Authenticate") != nil)
        for path in ["/status/101", "/status/600", "/status/abc", "/status/0200"] {
            // Nothing here has that name (101: no protocol to switch to): the status diagram's 404.
            let response = get(path)
            #expect(response.status == 404, "\(path)")
            #expect(response.header(StatusLabHeader.decision)?.hasSuffix("resource-exists=no > existed-before=no > put-creates=no > not-found 404") == true)
        }
        #expect(get("/status/418").header(StatusLabHeader.decision) == nil, "an echo: no diagram decides it")
    }

    @Test func informationalCodesGoOutAheadOfAFinal200() {
        let early = get("/status/103")
        #expect(early.status == 200)
        #expect(early.interim.map(\.status) == [103])
        #expect(early.interim.first?.headers.first { $0.name == "Link" }?.value.contains("rel=preload") == true)
        #expect(early.header("Link") == early.interim.first?.headers.first?.value, "the final response repeats the hint")
        for code in [100, 102, 150, 199] {
            let response = get("/status/\(code)")
            #expect(response.status == 200 && response.interim.map(\.status) == [code], "\(code)")
            #expect(response.bodyText.hasPrefix("\(code)"), "\(code)")
        }
    }

    @Test func httpbinEndpoints() throws {
        #expect(get("/basic-auth/bob/builder").status == 401)
        #expect(get("/basic-auth/bob/builder").header("WWW-Authenticate") == #"Basic realm="statuslab", charset="UTF-8""#)
        #expect(get("/basic-auth/bob/builder", [basic("bob", "builder")]).status == 200)
        #expect(get("/basic-auth/bob/builder", [basic("alice", "builder")]).status == 401, "the user is checked too")
        #expect(get("/hidden-basic-auth/bob/builder").status == 404)
        #expect(get("/hidden-basic-auth/bob/builder", [basic("bob", "wrong")]).status == 404)
        #expect(get("/hidden-basic-auth/bob/builder", [basic("bob", "builder")]).status == 200)
        #expect(get("/bearer").header("WWW-Authenticate") == #"Bearer realm="statuslab""#)
        #expect(get("/bearer", [bearer("bob-admin-token")]).status == 200)
        let echo = get("/anything", [("X-Test", "1")], method: "PATCH", query: [("a", "b")])
        let json = try JSONSerialization.jsonObject(with: Data(echo.body)) as! [String: Any]
        #expect(json["method"] as? String == "PATCH")
        #expect((json["args"] as? [String: String])?["a"] == "b")
        #expect((json["headers"] as? [String: String])?["X-Test"] == "1")
    }

    @Test func anythingShowsAFormAsFieldsAndOtherBodiesAsData() throws {
        func echo(_ type: String?, _ body: String) throws -> [String: Any] {
            let request = ServiceRequest(method: "POST", path: "/anything", headers: type.map { [("Content-Type", $0)] } ?? [],
                                         body: Array(body.utf8))
            return try JSONSerialization.jsonObject(with: Data(MockService(diagrams: diagrams).respond(request).body)) as! [String: Any]
        }
        // What `curl -d user=alice -d 'note=a+b%21' -d tag=x -d tag=y` sends.
        let form = try echo("application/x-www-form-urlencoded", "user=alice&note=a+b%21&tag=x&tag=y")
        #expect(form["form"] as? [String: String] == ["user": "alice", "note": "a b!", "tag": "x, y"])
        #expect(form["data"] as? String == "")
        let charset = try echo("Application/X-WWW-Form-Urlencoded; charset=utf-8", "a=1")
        #expect(charset["form"] as? [String: String] == ["a": "1"])
        let json = try echo("application/json", #"{"a":1}"#)
        #expect(json["data"] as? String == #"{"a":1}"#)
        #expect((json["form"] as? [String: String])?.isEmpty == true)
        #expect(try echo("", "x=1")["data"] as? String == "x=1", "an empty Content-Type is not a form")
        #expect(try echo(nil, "x=1")["data"] as? String == "x=1")
    }

    @Test func theIndexListsEverythingAsTextOrJSON() throws {
        let text = get("/", [("Host", "127.0.0.1:9")]).bodyText
        for needle in ["alice:wonderland", "bob-admin-token", "hide=on|off", "curl -i http://127.0.0.1:9/api/notes/1", StatusLabHeader.decision,
                       "GET|POST|PUT /digest-auth/{qop}/{user}/{passwd}/{algorithm}\n", "curl -i --digest -u alice:wonderland",
                       "That header is a teaching aid: a real server would not send it"] {
            #expect(text.contains(needle), "\(needle)")
        }
        // The list is the route table's: every route that says what it is, and only those.
        for route in Router.routes {
            let listed = text.contains("  \(route.listing) ") || text.contains("  \(route.listing)\n")
            #expect(listed == (route.about != nil), "\(route.listing)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(get("/", [("Accept", "application/json")]).body)) as! [String: Any]
        #expect((json["users"] as? [Any])?.count == DemoWorld.users.count)
        #expect((json["tokens"] as? [Any])?.count == DemoWorld.tokens.count)
        #expect((json["endpoints"] as? [Any])?.count == Router.routes.filter { $0.about != nil }.count)
        #expect((json["decisionHeaderNote"] as? String)?.contains("teaching aid") == true)
    }
}
