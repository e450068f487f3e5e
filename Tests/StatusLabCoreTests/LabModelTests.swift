import Foundation
import Testing
@testable import StatusLabCore

@Suite struct CurlCommandTests {
    @Test func wordsAreQuotedSoTheShellReadsThemBack() {
        #expect(CurlCommand.quote("http://127.0.0.1:8401/api/profile") == "http://127.0.0.1:8401/api/profile")
        #expect(CurlCommand.quote("a b") == "'a b'")
        #expect(CurlCommand.quote("it's") == #"'it'\''s'"#)
        #expect(CurlCommand.quote("") == "''")
        #expect(CurlCommand.quote("$HOME;rm") == "'$HOME;rm'")
    }

    @Test func eachKindOfCredentialsBecomesItsFlag() {
        let url = "http://127.0.0.1:8401/api/profile"
        #expect(CurlCommand.line(for: LabRequest(credentials: .basic(user: "alice", password: "wonderland")), url: url)
                == "curl -i -u alice:wonderland \(url)")
        #expect(CurlCommand.line(for: LabRequest(credentials: .digest(user: "alice", password: "x y")), url: url)
                == "curl -i --digest -u 'alice:x y' \(url)")
        #expect(CurlCommand.line(for: LabRequest(credentials: .header("Bearer alice-read-token")), url: url)
                == "curl -i -H 'Authorization: Bearer alice-read-token' \(url)")
        #expect(CurlCommand.line(for: LabRequest(credentials: .session(cookie: "s=1")), url: url) == "curl -i -b s=1 \(url)")
        let post = LabRequest(method: "POST", headers: [.init(name: "Content-Type", value: "application/json")], body: #"{"a": "it's"}"#)
        #expect(CurlCommand.line(for: post, url: url)
                == #"curl -i -X POST -H 'Content-Type: application/json' -d '{"a": "it'\''s"}' "# + url)
        #expect(CurlCommand.line(for: LabRequest(method: "HEAD"), url: url) == "curl -i -I \(url)")
    }
}

@Suite struct JWTTests {
    static func token(_ claims: String) -> String {
        func part(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
        }
        return part(#"{"alg":"HS256","typ":"JWT"}"#) + "." + part(claims) + ".c2ln"
    }

    @Test func headerAndClaimsAreReadAndExpiryIsATime() throws {
        let jwt = try #require(JWT(Self.token(#"{"sub":"alice","scope":"notes:read","exp":1700000000,"admin":false}"#)))
        #expect(jwt.header.map(\.name) == ["alg", "typ"])
        #expect(jwt.claims.first { $0.name == "sub" }?.value == "alice")
        #expect(jwt.expires == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(jwt.hasExpired(at: Date(timeIntervalSince1970: 1_800_000_000)))
        #expect(!jwt.hasExpired(at: Date(timeIntervalSince1970: 1_600_000_000)))
    }

    @Test func opaqueTokensAreNotJWTs() {
        #expect(JWT("alice-read-token") == nil)
        #expect(JWT("a.b.c") == nil)
        let found = JWT.find(in: "Bearer " + Self.token(#"{"sub":"bob"}"#))
        #expect(found?.jwt.claims.first?.value == "bob")
    }
}

@Suite struct DecisionRecordTests {
    @Test func theHeaderIsReadAndWrittenTheSameWay() throws {
        let header = "auth: public=no > everyone=no > browser=no > credentials-present=no > hide-strangers=no > challenge 401"
        let record = try #require(DecisionRecord(header: header))
        #expect(record.diagram == "auth" && record.outcome == "challenge" && record.status == 401 && record.steps.count == 5)
        #expect(record.header == header)
        let auth = try #require(builtInLibrary.diagram("auth"))
        #expect(record.replay(in: auth)?.id == "challenge")
        #expect(DecisionRecord(header: "exists=yes > challenge 401") == nil, "the diagram is named")
        #expect(DecisionRecord(header: "auth: public=no > challenge") == nil)
    }
}

@Suite struct LabRequestTests {
    @Test func pathsGoToTheBuiltInServerAndURLsWhereTheySay() throws {
        #expect(try LabRequest(url: "/api/profile?x=1").target(base: "http://127.0.0.1:8401").url == "http://127.0.0.1:8401/api/profile?x=1")
        let other = try LabRequest(url: "http://localhost:3000").target(base: nil)
        #expect(other.host == "localhost" && other.port == 3000 && other.target == "/")
        #expect(try LabRequest(url: "http://[::1]:9/a").target(base: nil).host == "::1")
        #expect(try LabRequest(url: "http://[::1]:9/a").target(base: nil).authority == "[::1]:9", "the Host header brackets an IPv6 address")
        let secure = try LabRequest(url: "https://api.example/notes").target(base: nil)
        #expect(secure.secure && secure.port == 443 && secure.authority == "api.example" && secure.url == "https://api.example/notes")
        #expect(try LabRequest(url: "https://api.example:8443/").target(base: nil).authority == "api.example:8443")
    }

    @Test(arguments: [
        ("", "the URL is empty"), ("ftp://x/", "ftp:// is not supported"), ("ws://example.test/", "ws:// is not supported"),
        ("example.test", "is neither a path"), ("http://x:99999/", "is not a port"), ("http://u:p@x/", "names no host"),
        ("/a b", "has a space"),
    ])
    func badURLsAreRefusedWithTheReason(_ url: String, _ reason: String) {
        do {
            _ = try LabRequest(url: url).target(base: "http://127.0.0.1:8401")
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.description.contains(reason), "\(url): \(error.description)")
        }
    }

    @Test func badMethodsAndHeaderLinesAreRefused() {
        #expect(throws: LabRequest.Problem.badMethod("GE T")) { try LabRequest(method: "GE T").target(base: "http://x") }
        #expect(throws: LabRequest.Problem.self) { try LabRequest(headers: [.init(name: "X-A", value: "a\r\nInjected: 1")]).target(base: "http://x") }
        #expect(throws: LabRequest.Problem.self) { try LabRequest(headers: [.init(name: "Bad Name", value: "a")]).target(base: "http://x") }
    }

    @Test func redirectsAreFollowedAsABrowserWould() throws {
        let login = WireResponse(version: "HTTP/1.1", status: 303, reason: "See Other",
                                 headers: [.init(name: "Location", value: "/app/notes"), .init(name: "Set-Cookie", value: "s=1; Path=/app")], body: [])
        let jar = CookieJar().receiving(login.headers("Set-Cookie"))
        let post = LabRequest(method: "POST", url: "/app/login", body: "user=alice")
        let next = try #require(post.following(login, from: "http://127.0.0.1:8401/app/login", jar: jar))
        #expect(next.method == "GET" && next.body.isEmpty && next.url == "http://127.0.0.1:8401/app/notes")
        #expect(next.headers.contains { $0.name == "Cookie" && $0.value == "s=1" })
        let temporary = WireResponse(version: "HTTP/1.1", status: 307, reason: "", headers: [.init(name: "Location", value: "http://other.test/x")], body: [])
        #expect(post.following(temporary, from: "http://a/", jar: CookieJar())?.method == "POST", "307 keeps the method")
        let ok = WireResponse(version: "HTTP/1.1", status: 200, reason: "OK", headers: [], body: [])
        #expect(post.following(ok, from: "http://a/", jar: jar) == nil)
        #expect(jar.receiving(["s=; Max-Age=0"]).header == nil, "a logout's cookie removes the session")
    }

    @Test func historyIsBoundedAndACorruptFileIsMovedAside() throws {
        var history = LabHistory()
        for index in 0..<(LabHistory.limit + 10) { history.add(LabRequest(url: "/\(index)"), status: 200, at: Date()) }
        #expect(history.entries.count == LabHistory.limit)
        #expect(history.entries.first?.request.url == "/\(LabHistory.limit + 9)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lab-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = LabHistory.store(folder.appendingPathComponent("lab-history.json"))
        try store.save(history)
        #expect(store.load().value?.entries.map(\.request) == history.entries.map(\.request))
        try Data("{ not json".utf8).write(to: store.file)
        let loaded = store.load()
        #expect(loaded.value == nil && loaded.canSave)
        #expect(loaded.notice?.contains("Your Lab history could not be read") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).contains { $0.hasPrefix("lab-history.corrupt-") })
    }
}
