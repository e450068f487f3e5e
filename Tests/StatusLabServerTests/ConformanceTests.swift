import Foundation
import StatusLabCore
import Testing
@testable import StatusLabServer

/// Runs blocking socket work on a thread of its own, so that it does not hold one of the few
/// threads Swift Concurrency has (two on this machine).
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Sends `requests` on one connection (then closes our side unless `keepOpen`) and returns the
/// responses framed as a client would, and how the connection ended.
func exchange(_ port: Int, _ requests: String, heads: [Bool] = [], keepOpen: Bool = false,
              until: (@Sendable ([UInt8]) -> Bool)? = nil) async throws -> (responses: [ParsedResponse], end: RawSocket.End, raw: String) {
    try await blocking {
        let socket = try RawSocket(port: port)
        defer { socket.close() }
        socket.send(requests)
        if !keepOpen { socket.shutdownWrite() }
        let (bytes, end) = socket.read(until: until)
        return (try ParsedResponse.all(bytes, heads: heads), end, String(decoding: bytes, as: UTF8.self))
    }
}

/// The server's HTTP/1.1 layer against the RFCs, rule by rule, over real sockets.
@Suite(.serialized) struct ConformanceTests {
    // MARK: RFC 9110 §9.3.2, §15.3.5, §15.3.6, §15.4.5: what carries content

    @Test func headNeverCarriesContentWhateverTheStatus() async throws {
        try await withLiveServer { port, _ in
            let paths = ["/nope", "/api/profile", "/api/public", "/status/500", "/status/205", "/api/notes/1"]
            var requests = paths.map { "HEAD \($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined()
            requests += "GET /api/public HTTP/1.1\r\nHost: x\r\n\r\n"
            let (responses, end, raw) = try await exchange(port, requests, heads: paths.map { _ in true } + [false])
            #expect(responses.map(\.status) == [404, 401, 200, 500, 205, 401, 200], "\(raw)")
            let bodies = responses.dropLast().map(\.body)
            #expect(bodies.allSatisfy { $0.isEmpty })
            let announced = responses[0].header("Content-Length").flatMap { Int($0) } ?? 0
            #expect(announced > 0, "HEAD announces what GET would send")
            #expect(end == .closed)
        }
    }

    @Test func informationalNoContentAndNotModifiedCarryNoContentAndResetContentNone() async throws {
        try await withLiveServer { port, _ in
            let requests = ["/status/103", "/status/204", "/status/304", "/status/205", "/api/public"]
                .map { "GET \($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined()
            let (responses, _, raw) = try await exchange(port, requests)
            #expect(responses.map(\.status) == [103, 200, 204, 304, 205, 200], "\(raw)")
            #expect(responses[0].header("Content-Length") == nil && responses[0].body.isEmpty)
            #expect(responses[2].header("Content-Length") == nil && responses[3].header("Content-Length") == nil)
            #expect(responses[4].header("Content-Length") == "0" && responses[4].body.isEmpty)
        }
    }

    // MARK: RFC 9112 §3.2: Host

    @Test(arguments: [
        ("GET /api/public HTTP/1.1\r\n\r\n", 400),
        ("GET /api/public HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET /api/public HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
        ("GET /api/public HTTP/1.1\r\nHost: [::1]:8401\r\n\r\n", 200),
        ("GET /api/public HTTP/1.1\r\nHost: \r\n\r\n", 200),
        ("GET /api/public HTTP/1.0\r\n\r\n", 200),
        ("GET http://example.test/api/public HTTP/1.1\r\nHost: other\r\n\r\n", 200),
    ])
    func hostFollowsRFC9112(_ request: String, _ status: Int) async throws {
        try await withLiveServer { port, _ in
            let (responses, end, raw) = try await exchange(port, request)
            #expect(responses.map(\.status) == [status], "\(raw)")
            #expect(end == .closed)
            if status == 400 {
                let decision = try #require(responses.first?.header(StatusLabHeader.decision))
                #expect(decision.hasSuffix("request-well-formed=no > bad-request 400"), "decided by the status diagram: \(decision)")
                #expect(responses.first?.header("Connection") == "close")
            }
        }
    }

    // MARK: RFC 9112 §2.3: the response's version

    @Test func everyResponseSaysHTTP11() async throws {
        try await withLiveServer { port, _ in
            let (responses, _, raw) = try await exchange(port, "GET /api/public HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /nope HTTP/1.0\r\n\r\n")
            #expect(responses.map(\.version) == ["HTTP/1.1", "HTTP/1.1"], "\(raw)")
            #expect(responses.first?.header("Connection") == "keep-alive", "HTTP/1.0 keep-alive is kept")
            #expect(responses.last?.header("Connection") == "close")
            let (other, _, otherRaw) = try await exchange(port, "GET /api/public HTTP/2.0\r\nHost: x\r\n\r\n")
            #expect(other.map(\.status) == [400] || otherRaw.hasPrefix("HTTP/1.1 400"), "\(otherRaw)")
        }
    }

    // MARK: RFC 9112 §6.3: message length

    @Test(arguments: [
        "POST /anything HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "POST /anything HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\nabc",
        "POST /anything HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        "POST /anything HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        "POST /anything HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc",
    ])
    func aMessageWhoseLengthCannotBeTrustedIsRefusedAndTheConnectionEnds(_ request: String) async throws {
        try await withLiveServer { port, server in
            let (responses, end, raw) = try await exchange(port, request + "GET /api/public HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(responses.map(\.status) == [400], "only the refusal, nothing after it: \(raw)")
            #expect(responses.first?.header(StatusLabHeader.decision)?.hasSuffix("bad-request 400") == true)
            #expect(end == .closed)
            #expect(!server.log.entries.contains { $0.target == "/api/public" })
        }
    }

    @Test func chunkedContentIsReadWhole() async throws {
        try await withLiveServer { port, _ in
            let request = "POST /anything HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
            let (responses, _, _) = try await exchange(port, request)
            #expect(responses.first?.status == 200)
            let body = String(decoding: responses.first?.body ?? [], as: UTF8.self)
            #expect(body.contains(#""data" : "abcde""#))
        }
    }

    // MARK: RFC 9112 §9: connections

    @Test func nothingAfterAConnectionCloseRequestIsProcessed() async throws {
        try await withLiveServer { port, server in
            let requests = "GET /api/public HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                + "POST /app/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 31\r\n\r\nuser=alice&password=wonderland"
            let (responses, end, raw) = try await exchange(port, requests, keepOpen: true)
            #expect(responses.map(\.status) == [200], "\(raw)")
            #expect(end == .closed, "the server closes after the response")
            #expect(server.log.entries.map(\.target) == ["/api/public"], "the login after it was never processed")
        }
    }

    @Test func aHalfClosedConnectionGetsEveryQueuedResponseFirst() async throws {
        try await withLiveServer { port, _ in
            let requests = String(repeating: "GET /api/notes/1 HTTP/1.1\r\nHost: x\r\n\r\n", count: 200)
            let (responses, end, _) = try await exchange(port, requests)
            #expect(responses.count == 200)
            #expect(responses.allSatisfy { $0.status == 401 })
            #expect(end == .closed)
        }
    }

    @Test func contentTooLargeIsAnsweredAndReadableNotAReset() async throws {
        try await withLiveServer { port, server in
            let size = 300_000
            let head = "POST /anything HTTP/1.1\r\nHost: x\r\nContent-Length: \(size)\r\n\r\n"
            let (responses, end, raw) = try await exchange(port, head + String(repeating: "x", count: size))
            #expect(responses.map(\.status) == [413], "\(raw.prefix(300))")
            #expect(end == .closed, "the rest of the content was read and dropped, then the connection closed")
            #expect(responses.first?.header(StatusLabHeader.decision)?.hasSuffix("content-too-large=yes > too-large 413") == true)
            #expect(server.log.entries.last?.status == 413)
            let chunk = "8000\r\n" + String(repeating: "y", count: 0x8000) + "\r\n"
            let chunked = "POST /anything HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: chunk, count: 4) + "0\r\n\r\n"
            let (answers, chunkedEnd, _) = try await exchange(port, chunked)
            #expect(answers.map(\.status) == [413])
            #expect(chunkedEnd == .closed)
        }
    }

    @Test func sizeComesAfterWhoIsAskingAsTheStatusDiagramSays() async throws {
        try await withLiveServer { port, _ in
            let head = "DELETE /api/notes/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
            let (responses, end, raw) = try await exchange(port, head + String(repeating: "x", count: 100_000))
            #expect(responses.map(\.status) == [401], "an anonymous caller is asked who it is first: \(raw.prefix(300))")
            #expect(end == .closed)
            let (withToken, _, _) = try await exchange(port, "DELETE /api/notes/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWxpY2U6d29uZGVybGFuZA==\r\n"
                                                       + "Content-Length: 100000\r\n\r\n" + String(repeating: "x", count: 100_000))
            #expect(withToken.map(\.status) == [413], "then the size")
        }
    }

    @Test func aRefusalGoesOutInsteadOf100Continue() async throws {
        try await withLiveServer { port, _ in
            let request = "DELETE /api/notes/1 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n"
            let (responses, _, raw) = try await exchange(port, request, keepOpen: true) { bytes in
                String(decoding: bytes, as: UTF8.self).contains("\r\n\r\n{")
            }
            #expect(responses.first?.status == 401, "\(raw)")
            #expect(!raw.contains("100 Continue"))
        }
    }

    @Test func headerSectionsTooLargeGetA431TheClientCanRead() async throws {
        try await withLiveServer { port, _ in
            for size in [20_000, 120_000] {
                let request = "GET /api/public HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: size))\r\n\r\n"
                let (responses, end, raw) = try await exchange(port, request)
                #expect(responses.map(\.status) == [431], "\(size): \(raw.prefix(300))")
                #expect(responses.first?.header(StatusLabHeader.decision)?.hasSuffix("headers-too-large=yes > headers-rejected 431") == true)
                #expect(end == .closed, "\(size)")
            }
        }
    }

    // MARK: Codes decided by the status diagram

    @Test(arguments: [
        ("BREW /api/public HTTP/1.1\r\nHost: x\r\n\r\n", 501, "method-known=no > not-implemented 501"),
        ("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", 501, "method-known=no > not-implemented 501"),
        ("PUT /api/public HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405, "method-allowed=no > method-not-allowed 405"),
        ("THIS IS NOT HTTP\r\n\r\n", 400, "request-well-formed=no > bad-request 400"),
        ("GET /api/public\r\n\r\n", 400, "request-well-formed=no > bad-request 400"),
        ("BREW /api/public HTTP/1.1", 501, "method-known=no > not-implemented 501"),
        ("\r\nBREW /api/public HTTP/1.1\r\nHost: x\r\n\r\n", 501, "method-known=no > not-implemented 501"),
        ("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri-too-long=yes > uri-rejected 414"),
        ("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", 404, "put-creates=no > not-found 404"),
    ])
    func refusalsBeforeAnyRouteAreWalked(_ request: String, _ status: Int, _ ending: String) async throws {
        try await withLiveServer { port, _ in
            let (responses, _, raw) = try await exchange(port, request)
            #expect(responses.map(\.status) == [status], "\(raw.prefix(300))")
            let decision = try #require(responses.first?.header(StatusLabHeader.decision))
            #expect(decision.hasSuffix(ending), "\(decision)")
            let (outcome, described) = try #require(replay(decision))
            #expect(outcome.status == status && described == decision)
            if status == 405 { #expect(responses.first?.header("Allow") == "GET, HEAD") }
        }
    }

    // MARK: Private areas answer a stranger alike, whatever is there

    /// For each private prefix: a path a route has and paths none has, each asked for by a
    /// stranger over a raw socket. The status, the challenge and the body's length must be the
    /// same, so the answer cannot tell which URLs exist (content-audit-2 N3).
    @Test(arguments: [
        ("/api/profile", ["/api/nope", "/api/notes/1/extra", "/api/public/x"]),
        ("/app/notes", ["/app/nope", "/app/notes/1"]),
        ("/basic-auth/alice/wonderland", ["/basic-auth/alice", "/basic-auth/a/b/c"]),
        ("/hidden-basic-auth/alice/wonderland", ["/hidden-basic-auth/x", "/hidden-basic-auth/a/b/c"]),
        ("/digest-auth/auth/alice/wonderland", ["/digest-auth/auth-conf/alice/wonderland", "/digest-auth/nope"]),
        ("/bearer", ["/bearer/x"]),
    ])
    func unknownPathsInAPrivateAreaAnswerAStrangerAsKnownOnesDo(_ known: String, _ unknown: [String]) async throws {
        try await withLiveServer { port, _ in
            func ask(_ path: String) async throws -> (status: Int, challenge: String?, decision: String?, raw: String) {
                let (responses, _, raw) = try await exchange(port, "GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                let response = try #require(responses.first, "\(path): \(raw.prefix(300))")
                // A Digest challenge carries a fresh nonce: compare its parameter names only.
                let challenge = response.header("WWW-Authenticate").map { AuthParameters.split($0) }
                    .map { "\($0.scheme ?? "") \($0.parameters.map(\.name))" }
                return (response.status, challenge, response.header(StatusLabHeader.decision), raw)
            }
            let expected = try await ask(known)
            #expect([401, 404, 303].contains(expected.status), "\(known): \(expected.raw.prefix(300))")
            for path in unknown {
                let got = try await ask(path)
                #expect(got.status == expected.status, "\(path) vs \(known): \(got.raw.prefix(300))")
                #expect(got.challenge == expected.challenge, "\(path) vs \(known)")
                #expect(got.decision == expected.decision, "\(path) vs \(known)")
            }
        }
    }
}
