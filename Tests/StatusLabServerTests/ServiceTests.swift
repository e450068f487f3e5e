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
        let header = try #require(response.header(MockService.decisionHeader), "\(c.outcome): no decision header")
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
            response.headers.filter { $0.name != MockService.decisionHeader }.map { "\($0.name): \($0.value)" }
        }
        let genuine = get("/api/notes/99", [basic("alice", "wonderland")])
        for hidden in [get("/api/notes/2", [basic("alice", "wonderland")]),
                       get("/api/notes/1", [bearer("alice-read-token")], method: "DELETE", query: [("hide", "on")])] {
            #expect(hidden.status == 404 && genuine.status == 404)
            #expect(hidden.body == genuine.body, "\(String(decoding: hidden.body, as: UTF8.self))")
            #expect(withoutDecision(hidden) == withoutDecision(genuine))
            #expect(hidden.header(MockService.decisionHeader) != genuine.header(MockService.decisionHeader))
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
        #expect(head.header(MockService.decisionHeader) == getResponse.header(MockService.decisionHeader))
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
            #expect(response.header(MockService.decisionHeader)?.hasSuffix("resource-exists=no > existed-before=no > put-creates=no > not-found 404") == true)
        }
        #expect(get("/status/418").header(MockService.decisionHeader) == nil, "an echo: no diagram decides it")
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
        for needle in ["alice:wonderland", "bob-admin-token", "hide=on|off", "curl -i http://127.0.0.1:9/api/notes/1", MockService.decisionHeader,
                       "GET /digest-auth/{qop}/{user}/{passwd}[/{algorithm}]\n", "curl -i --digest -u alice:wonderland",
                       "That header is a teaching aid: a real server would not send it"] {
            #expect(text.contains(needle), "\(needle)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(get("/", [("Accept", "application/json")]).body)) as! [String: Any]
        #expect((json["users"] as? [Any])?.count == 3)
        #expect((json["tokens"] as? [Any])?.count == 4)
        #expect((json["decisionHeaderNote"] as? String)?.contains("teaching aid") == true)
    }
}

@Suite struct BrowserAreaTests {
    @Test func loginSetsASafeSessionCookieAndComesBack() throws {
        let service = MockService(diagrams: diagrams)
        let redirect = get("/app/notes", service: service)
        #expect(redirect.status == 303)
        #expect(redirect.header("Location") == "/app/login?next=%2Fapp%2Fnotes")
        let login = service.respond(ServiceRequest(method: "POST", path: "/app/login", query: [("next", "/app/notes")],
                                                   body: Array("user=alice&password=wonderland".utf8)))
        #expect(login.status == 303)
        #expect(login.header("Location") == "/app/notes")
        // ux-walk-1 ML2: a successful login is no error, so no problem details.
        #expect(login.header("Content-Type") == "text/html; charset=utf-8")
        #expect(login.bodyText.contains("<a href=\"/app/notes\">"))
        let cookie = try #require(login.header("Set-Cookie"))
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Lax"))
        let session = String(cookie.split(separator: ";")[0])
        let notes = get("/app/notes", [("Cookie", session)], service: service)
        #expect(notes.status == 200)
        #expect(notes.bodyText.contains("alice's notes"))
        let logout = service.respond(ServiceRequest(method: "POST", path: "/app/logout", headers: [("Cookie", session)]))
        #expect(logout.header("Set-Cookie")?.contains("Max-Age=0") == true)
        #expect(get("/app/notes", [("Cookie", session)], service: service).status == 303, "the session ended")
    }

    @Test func nextAcceptsLocalPathsOnly() {
        #expect(MockService.safeNext("/app/notes") == "/app/notes")
        for bad in ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", nil] {
            #expect(MockService.safeNext(bad) == "/app/notes", "\(bad ?? "nil")")
        }
    }

    @Test func aFailedLoginIsAPageAgain() {
        let failed = MockService(diagrams: diagrams).respond(ServiceRequest(method: "POST", path: "/app/login", body: Array("user=alice&password=x".utf8)))
        #expect(failed.status == 200)
        #expect(failed.bodyText.contains("wrong password"))
    }
}

@Suite struct DigestTests {
    @Test func sha512_256MatchesTheStandardVectors() {
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA512_256.hash(Array("abc".utf8))) == "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23")
        #expect(hex(SHA512_256.hash([])) == "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a")
        // FIPS 180-4's two-block message, and lengths around the padding boundary (111 bytes
        // fit one block with the length, 112 need a second; 128 is exactly one block).
        let twoBlocks = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(hex(SHA512_256.hash(Array(twoBlocks.utf8))) == "3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a")
        for (length, digest) in [(111, "0239e429f98d0ed61ee8e2a7c30afe98c1c3a80ce5dff62a107e9c538f7632ce"),
                                 (112, "9216b5303edb66504570bee90e48ea5beaa5e9fe9f760bbd3e0460559fc005f6"),
                                 (127, "2fe3b2a6ee7e12f6fe4ba82166541ad9b4ed882c493581cbe300d68f3757b778"),
                                 (128, "b88f97e274f9c1d49f181c8cbd01a9c74930ad055a46ac4499a1d601f1c80bf2")] {
            #expect(hex(SHA512_256.hash([UInt8](repeating: UInt8(ascii: "a"), count: length))) == digest, "\(length) bytes")
        }
    }

    /// What a client computes (RFC 7616 §3.4.1), for a challenge from `service`.
    func authorization(_ service: MockService, method: String = "GET", uri: String, user: String, password: String,
                       qop: String, algorithm: DigestAuth.Algorithm, hashedBy: DigestAuth.Algorithm? = nil, body: String = "",
                       nonceDate: Date = Date()) -> String {
        let nonce = service.digest.nonce(at: nonceDate)
        let hash = (hashedBy ?? algorithm).hash
        let ha1 = hash("\(user):statuslab:\(password)")
        let ha2 = qop == "auth-int" ? hash("\(method):\(uri):\(hash(body))") : hash("\(method):\(uri)")
        let response = hash("\(ha1):\(nonce):00000001:abc:\(qop):\(ha2)")
        return "Digest username=\"\(user)\", realm=\"statuslab\", nonce=\"\(nonce)\", uri=\"\(uri)\", algorithm=\(algorithm.rawValue), "
            + "response=\"\(response)\", qop=\(qop), nc=00000001, cnonce=\"abc\""
    }

    @Test(arguments: DigestAuth.Algorithm.allCases)
    func everyAlgorithmAuthenticates(_ algorithm: DigestAuth.Algorithm) {
        let service = MockService(diagrams: diagrams)
        let uri = "/digest-auth/auth/alice/wonderland/\(algorithm.rawValue)"
        let first = service.respond(ServiceRequest(method: "GET", path: uri))
        #expect(first.status == 401)
        #expect(first.header("WWW-Authenticate")?.hasPrefix("Digest realm=\"statuslab\", qop=\"auth\", algorithm=\(algorithm.rawValue)") == true)
        let header = authorization(service, uri: uri, user: "alice", password: "wonderland", qop: "auth", algorithm: algorithm)
        #expect(service.respond(ServiceRequest(method: "GET", path: uri, headers: [("Authorization", header)])).status == 200)
    }

    @Test func sha512_256HashedWithSHA256IsRefusedWithANote() {
        let service = MockService(diagrams: diagrams)
        let uri = "/digest-auth/auth/alice/wonderland/SHA-512-256"
        let oldCurl = authorization(service, uri: uri, user: "alice", password: "wonderland", qop: "auth", algorithm: .sha512_256, hashedBy: .sha256)
        let refused = service.respond(ServiceRequest(method: "GET", path: uri, headers: [("Authorization", oldCurl)]))
        #expect(refused.status == 401)
        #expect(refused.header("WWW-Authenticate")?.contains("algorithm=SHA-512-256") == true)
        #expect(refused.header(MockService.noteHeader)?.contains("computed with SHA-256") == true)
        let wrongPassword = authorization(service, uri: uri, user: "alice", password: "nope", qop: "auth", algorithm: .sha512_256, hashedBy: .sha256)
        let plainWrong = service.respond(ServiceRequest(method: "GET", path: uri, headers: [("Authorization", wrongPassword)]))
        #expect(plainWrong.status == 401)
        #expect(plainWrong.header(MockService.noteHeader) == nil, "only the right password hashed the wrong way gets the note")
    }

    @Test func authIntSignsTheBody() {
        let service = MockService(diagrams: diagrams)
        let uri = "/digest-auth/auth-int/alice/wonderland/SHA-256"
        let header = authorization(service, method: "POST", uri: uri, user: "alice", password: "wonderland", qop: "auth-int",
                                   algorithm: .sha256, body: "hello")
        #expect(service.respond(ServiceRequest(method: "POST", path: uri, headers: [("Authorization", header)], body: Array("hello".utf8))).status == 200)
        #expect(service.respond(ServiceRequest(method: "POST", path: uri, headers: [("Authorization", header)], body: Array("HELLO".utf8))).status == 401)
    }

    @Test func anOldNonceIsStaleAndAWrongUserIsRefused() {
        let service = MockService(diagrams: diagrams)
        let uri = "/digest-auth/auth/alice/wonderland"
        let old = authorization(service, uri: uri, user: "alice", password: "wonderland", qop: "auth", algorithm: .md5,
                                nonceDate: Date().addingTimeInterval(-3600))
        let stale = service.respond(ServiceRequest(method: "GET", path: uri, headers: [("Authorization", old)]))
        #expect(stale.status == 401)
        #expect(stale.header("WWW-Authenticate")?.hasSuffix("stale=true") == true)
        let wrongUser = authorization(service, uri: uri, user: "bob", password: "wonderland", qop: "auth", algorithm: .md5)
        #expect(service.respond(ServiceRequest(method: "GET", path: uri, headers: [("Authorization", wrongUser)])).status == 401)
    }

    @Test func basicCredentialsGetADigestChallengeAndUnknownParametersNameNothing() {
        let response = get("/digest-auth/auth/alice/wonderland", [basic("alice", "wonderland")])
        #expect(response.status == 401)
        #expect(response.header("WWW-Authenticate")?.hasPrefix(#"Digest realm="statuslab", qop="auth", algorithm=MD5, nonce=""#) == true)
        // Parameters that name no endpoint are still inside the private area: a stranger gets the
        // same challenge there as anywhere in it, so it cannot learn which URLs exist.
        for missing in ["/digest-auth/auth-conf/alice/wonderland", "/digest-auth/auth/alice/wonderland/SHA-1"] {
            let answer = get(missing)
            #expect(answer.status == 401, "\(missing)")
            #expect(answer.header("WWW-Authenticate")?.hasPrefix("Digest ") == true)
            #expect(answer.header(MockService.decisionHeader)?.hasPrefix("auth: ") == true)
        }
    }
}

@Suite struct HeaderValidityTests {
    @Test func fieldsThatCouldSplitAResponseAreRefused() {
        let good = ServiceResponse(status: 200, headers: [("Location", "/app/notes?x=1"), ("X-Tab", "a\tb")])
        #expect(good.headersAreValid)
        #expect(!ServiceResponse(status: 200, headers: [("Location", "/a\r\nSet-Cookie: x=1")]).headersAreValid)
        #expect(!ServiceResponse(status: 200, headers: [("X", "a\u{0}b")]).headersAreValid)
        #expect(!ServiceResponse(status: 200, headers: [("Bad Name", "v")]).headersAreValid)
        #expect(!ServiceResponse(status: 200, headers: [("", "v")]).headersAreValid)
    }

    @Test func aCheckedResponseIsCheckedAgainOnceItsFieldsChange() {
        var response = ServiceResponse(status: 401, headers: [("WWW-Authenticate", "Bearer realm=\"x\"")])
        response.fieldsChecked = true
        response.headers.append(("Location", "/a\r\nX: y"))
        #expect(!response.fieldsChecked, "an appended field is not vouched for")
        var decided = ServiceResponse(status: 403)
        decided.fieldsChecked = true
        decided.decision = "exists=yes > forbidden 403"
        #expect(!decided.fieldsChecked, "setting the decision changes a field too")
    }

    @Test func everyEndpointBuildsValidFields() {
        let service = MockService(diagrams: diagrams)
        for path in ["/", "/api/profile", "/app/notes", "/digest-auth/auth/alice/wonderland", "/bearer", "/status/301", "/status/401",
                     "/status/405", "/status/407", "/status/429", "/headers", "/nope"] {
            #expect(service.respond(ServiceRequest(method: "GET", path: path)).headersAreValid, "\(path)")
        }
    }
}

@Suite struct RequestTargetTests {
    @Test func originAndAbsoluteFormsSplitIntoPathAndDecodedQuery() {
        let origin = ServiceFront.split(target: "/api/notes/1?hide=on&flag&q=a%20b+c")
        #expect(origin.path == "/api/notes/1")
        #expect(origin.query.map { "\($0.name)=\($0.value)" } == ["hide=on", "flag=", "q=a b c"])
        let absolute = ServiceFront.split(target: "http://127.0.0.1:8401/headers?x=1")
        #expect(absolute.path == "/headers")
        #expect(absolute.query.map(\.value) == ["1"])
        #expect(ServiceFront.split(target: "http://example.test").path == "/")
        #expect(ServiceFront.split(target: "*").path == "*", "OPTIONS * keeps its asterisk, which no route matches")
    }
}

@Suite struct KnownFactsTests {
    @Test func theServerWorksOutEveryFactTheDiagramsAsk() {
        #expect(MockService.unknownFacts(in: diagrams).isEmpty)
    }

    @Test func aDiagramAskingAnUndeclaredFactIsNamed() throws {
        let text = "title: t\nsummary: s\nstart: q\n\nquestion: q\nfact: moon-phase\nask: Full moon?\nyes: a\nno: a\n\noutcome: a\nstatus: 200\nlabel: l\nwhy: w\nspec: RFC 9110 §15.3.1\nserves: yes\n"
        var problems: [Diagnostic] = []
        let odd = DiagramParser().parse(path: "diagrams/auth.diagram", text: text, diagnostics: &problems).diagram
        #expect(problems.isEmpty, "\(problems)")
        #expect(MockService.unknownFacts(in: ServerDiagrams(status: diagrams.status, auth: odd, redirect: diagrams.redirect, token: diagrams.token)) == ["moon-phase"])
    }

    @Test func aServedResponseCarriesTheCodeItsDecisionReached() throws {
        // The `status` diagram changed so that a POST's result is 203: the handler still writes
        // its 200, and the code sent is the decision's.
        let status = try #require(library.diagram("status"))
        let text = try #require(EmbeddedContent.files.first { $0.path == status.path }?.text)
        let changed = text.replacingOccurrences(of: "outcome: ok-result\nstatus: 200", with: "outcome: ok-result\nstatus: 203")
        #expect(changed != text, "the fixture found the outcome it changes")
        var problems: [Diagnostic] = []
        let odd = DiagramParser().parse(path: status.path, text: changed, diagnostics: &problems).diagram
        let service = MockService(diagrams: ServerDiagrams(status: odd, auth: diagrams.auth, redirect: diagrams.redirect, token: diagrams.token))
        let posted = get("/anything", method: "POST", service: service)
        #expect(posted.status == 203)
        #expect(posted.decision?.hasSuffix("ok-result 203") == true, "\(posted.decision ?? "")")
        #expect(get("/status/418", service: service).status == 418, "an echo keeps the code asked for")
    }

    @Test func factsAreKeptByName() {
        var facts = Facts()
        facts.set(.resourceExists, true)
        facts[.credentialsCheck] = "expired"
        #expect(facts.value(named: "resource-exists") == "yes")
        #expect(facts.value(named: "credentials-check") == "expired")
        #expect(facts.value(named: "permission-held") == nil)
        #expect(facts.value(named: "moon-phase") == nil)
    }
}

@Suite struct StatusWalkTableTests {
    @Test func everyRequestLevelHasItsOwnKeyAndTheTableHoldsItsWalk() {
        let walks = MockService.StatusWalks(diagrams)
        for key in 0..<MockService.RequestLevel.count where key & 3 != 3 {
            let level = MockService.RequestLevel(key: key)
            #expect(level.key == key)
            let direct = diagrams.walk(.status, level.facts)
            switch (walks[level], direct) {
            case (.decided(let a), .decided(let b)): #expect(a.outcome.id == b.outcome.id && a.path == b.path)
            case (.stopped(let a), .stopped(let b)): #expect(a.id == b.id)
            default: Issue.record("key \(key): the table and a direct walk differ")
            }
        }
    }
}

@Suite struct TokenEndpointTests {
    func token(_ form: String, headers: [(name: String, value: String)] = [], service: MockService) -> ServiceResponse {
        service.respond(ServiceRequest(method: "POST", path: "/oauth/token",
                                       headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers, body: Array(form.utf8)))
    }

    func json(_ response: ServiceResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func aPasswordGrantGivesAJWTTheAPIAcceptsWithItsScope() throws {
        let service = MockService(diagrams: diagrams)
        let issued = token("grant_type=password&username=alice&password=wonderland&scope=notes:read", service: service)
        #expect(issued.status == 200)
        #expect(issued.header("Cache-Control") == "no-store")
        #expect(issued.header(MockService.decisionHeader) == "token: parameters=yes > grant-type=yes > client=yes > grant=yes > scope=yes > issued 200")
        let body = try json(issued)
        let jwt = try #require(body["access_token"] as? String)
        #expect(body["token_type"] as? String == "Bearer" && body["scope"] as? String == "notes:read" && body["expires_in"] as? Int == 3600)
        #expect(get("/api/notes/1", [bearer(jwt)], service: service).status == 200)
        let delete = get("/api/notes/1", [bearer(jwt)], method: "DELETE", service: service)
        #expect(delete.status == 403)
        #expect(delete.header("WWW-Authenticate") == #"Bearer realm="statuslab", error="insufficient_scope", scope="notes:write""#)
        #expect(get("/api/notes/1", [bearer(jwt)], service: MockService(diagrams: diagrams)).status == 401,
                "another server's key: the signature fails")
    }

    @Test func expiredTamperedAndForeignTokensAreInvalid() throws {
        let service = MockService(diagrams: diagrams)
        let tokens = service.auth.tokens
        let old = tokens.issue(subject: "alice", scopes: ["notes:read"], lifetime: 5, now: Date().addingTimeInterval(-60))
        let expired = get("/api/profile", [bearer(old)], service: service)
        #expect(expired.status == 401)
        #expect(expired.header("WWW-Authenticate")?.contains(#"error="invalid_token", error_description="The access token expired""#) == true)
        let good = tokens.issue(subject: "alice", scopes: ["notes:read"], lifetime: 60)
        let tampered = String(good.dropLast(2)) + (good.hasSuffix("AA") ? "BB" : "AA")
        #expect(get("/api/profile", [bearer(tampered)], service: service).header(MockService.decisionHeader)?.contains("credentials-check=wrong") == true)
        let foreign = tokens.issue(subject: "alice", scopes: ["notes:read"], lifetime: 60, audience: "another-api")
        #expect(get("/api/profile", [bearer(foreign)], service: service).status == 401)
        #expect(tokens.verify(good) == .valid(subject: "alice", scopes: ["notes:read"]))
        #expect(tokens.verify("alice-read-token") == nil, "opaque demo tokens are not JWTs")
    }

    @Test(arguments: [
        ("grant_type=password&username=alice&password=nope", [(String, String)](), 400, "invalid_grant"),
        ("grant_type=password&username=mallory&password=letmein", [], 400, "invalid_grant"),
        ("grant_type=password&username=alice", [], 400, "invalid_request"),
        ("grant_type=password&grant_type=password&username=alice&password=wonderland", [], 400, "invalid_request"),
        ("grant_type=authorization_code&code=x", [], 400, "unsupported_grant_type"),
        ("grant_type=password&username=alice&password=wonderland&scope=admin", [], 400, "invalid_scope"),
        ("grant_type=client_credentials", [], 401, "invalid_client"),
        ("grant_type=client_credentials", [basic("lab-client", "wrong")], 401, "invalid_client"),
    ])
    func refusalsFollowRFC6749(_ form: String, _ headers: [(String, String)], _ status: Int, _ error: String) throws {
        let response = token(form, headers: headers.map { (name: $0.0, value: $0.1) }, service: MockService(diagrams: diagrams))
        #expect(response.status == status, "\(form)")
        #expect(try json(response)["error"] as? String == error, "\(form)")
        #expect(response.header(MockService.decisionHeader)?.hasPrefix("token: ") == true)
        if status == 401 { #expect(response.header("WWW-Authenticate")?.hasPrefix("Basic ") == true) }
    }

    @Test func clientCredentialsAndAJSONBody() throws {
        let service = MockService(diagrams: diagrams)
        let client = token("grant_type=client_credentials", headers: [basic("lab-client", "lab-secret")], service: service)
        #expect(client.status == 200)
        #expect(try json(client)["scope"] as? String == "notes:read")
        let jsonBody = service.respond(ServiceRequest(method: "POST", path: "/oauth/token", headers: [("Content-Type", "application/json")],
                                                      body: Array(#"{"grant_type":"password"}"#.utf8)))
        #expect(jsonBody.status == 400)
        #expect(try json(jsonBody)["error"] as? String == "invalid_request")
        let shortLived = try json(token("grant_type=password&username=bob&password=builder&expires_in=5", service: service))
        #expect(shortLived["expires_in"] as? Int == 5)
    }
}
