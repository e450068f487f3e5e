import Foundation
import StatusLabContent
import StatusLabCore
import Testing
@testable import StatusLabServer

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
        #expect(BrowserRoutes.safeNext("/app/notes") == "/app/notes")
        for bad in ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", nil] {
            #expect(BrowserRoutes.safeNext(bad) == "/app/notes", "\(bad ?? "nil")")
        }
    }

    @Test func aFailedLoginIsAPageAgain() {
        let failed = MockService(diagrams: diagrams).respond(ServiceRequest(method: "POST", path: "/app/login", body: Array("user=alice&password=x".utf8)))
        #expect(failed.status == 200)
        #expect(failed.bodyText.contains("wrong password"))
    }
}

@Suite struct DigestTests {
    @Test func digestCredentialsAreReadAsEveryChallengeIs() throws {
        // One grammar (RFC 9110 §11.2) for challenges and credentials: quoted values lose their
        // quotes and escapes, commas inside quotes stay, names are matched without case.
        let header = #"Digest Username="al\"ice", realm="a, b", nonce=abc, QOP=auth, uri="/x?y=1,2""#
        let parameters = try #require(DigestAuth.parameters(header))
        #expect(parameters == ["username": #"al"ice"#, "realm": "a, b", "nonce": "abc", "qop": "auth", "uri": "/x?y=1,2"])
        #expect(DigestAuth.parameters(#"Basic realm="x""#) == nil)
    }

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
        #expect(refused.header(StatusLabHeader.note)?.contains("computed with SHA-256") == true)
        let wrongPassword = authorization(service, uri: uri, user: "alice", password: "nope", qop: "auth", algorithm: .sha512_256, hashedBy: .sha256)
        let plainWrong = service.respond(ServiceRequest(method: "GET", path: uri, headers: [("Authorization", wrongPassword)]))
        #expect(plainWrong.status == 401)
        #expect(plainWrong.header(StatusLabHeader.note) == nil, "only the right password hashed the wrong way gets the note")
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
            #expect(answer.header(StatusLabHeader.decision)?.hasPrefix("auth: ") == true)
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

    @Test func everyAuthFactCheckAndJudgeSetIsOneTheServerSetsToo() {
        // One list (Core's `AuthFacts`) for the server, `check` and `judge`: each of its names
        // is a server fact, and the built-in `auth` diagram asks nothing outside it.
        #expect(Set(AuthFacts.names).isSubset(of: Set(MockService.knownFacts)), "\(Set(AuthFacts.names).subtracting(MockService.knownFacts))")
        #expect(AuthFacts.unknown(in: diagrams.auth).isEmpty)
        var asked = AuthFacts()
        asked.credentials = .checked("expired")
        let facts = Facts(asked)
        #expect(facts.value(named: "credentials-check") == "expired")
        #expect(facts.value(named: "caller-identified") == "no", "an expired token identifies nobody")
    }

    @Test func theRealmIsTheDiagramsEvenForDigest() throws {
        // A content pack with its own realm: every challenge names it, and Digest hashes with it,
        // so a client answering the challenge gets in.
        let text = try #require(EmbeddedContent.files.first { $0.path == diagrams.auth.path }?.text)
        let changed = text.replacingOccurrences(of: "var: realm = statuslab", with: "var: realm = workshop")
        #expect(changed != text)
        var problems: [Diagnostic] = []
        let auth = DiagramParser().parse(path: diagrams.auth.path, text: changed, diagnostics: &problems).diagram
        let service = MockService(diagrams: ServerDiagrams(status: diagrams.status, auth: auth, redirect: diagrams.redirect, token: diagrams.token))
        let target = "/digest-auth/auth/alice/wonderland/SHA-256"
        let challenge = try #require(get(target, service: service).header("WWW-Authenticate"))
        #expect(challenge.contains("realm=\"workshop\""), "\(challenge)")
        #expect(get("/status/401", service: service).header("WWW-Authenticate")?.contains("realm=\"workshop\"") == true)
        let answer = try #require(DigestAuth.answer(challenge: challenge, method: "GET", target: target, body: [], user: "alice", password: "wonderland"))
        #expect(get(target, [("Authorization", answer)], service: service).status == 200)
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
        #expect(issued.header(StatusLabHeader.decision) == "token: parameters=yes > grant-type=yes > client=yes > grant=yes > scope=yes > issued 200")
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
        #expect(get("/api/profile", [bearer(tampered)], service: service).header(StatusLabHeader.decision)?.contains("credentials-check=wrong") == true)
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
        #expect(response.header(StatusLabHeader.decision)?.hasPrefix("token: ") == true)
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
