import Foundation
import NIOCore
import Testing
import TestSupport
@testable import StatusLabServer

/// A server on a free loopback port for the length of `body`.
func withLiveServer<T: Sendable>(policies: Policies = Policies(), limits: MockServer.Limits = MockServer.Limits(),
                                 _ body: @Sendable (Int, MockServer) async throws -> T) async throws -> T {
    let server = MockServer(service: MockService(diagrams: diagrams, policies: policies), port: 0, limits: limits)
    let port = try await server.start()
    do {
        let result = try await body(port, server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// The exchanges the log hands `follow` first, once some have come.
func firstBatch(of log: ExchangeLog) async -> [Exchange] {
    let batches = AsyncStream.makeStream(of: [Exchange].self)
    let following = Task { await log.follow(every: .milliseconds(10)) { exchanges, _ in batches.continuation.yield(exchanges) } }
    defer { following.cancel() }
    var iterator = batches.stream.makeAsyncIterator()
    return await iterator.next() ?? []
}

/// Runs curl and returns what it printed (`-i` output), waiting for it to exit.
func curl(_ arguments: [String]) async throws -> String {
    try await run(["curl", "-s", "--max-time", "20"] + arguments)
}

/// Runs a program found on PATH and returns its standard output once it exits. The output is
/// read as it comes, on a thread of its own (not the pool's), so a program that prints more
/// than a pipe holds does not wait forever for a reader.
func run(_ arguments: [String]) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do { try process.run() } catch { continuation.resume(throwing: error); return }
        Thread.detachNewThread {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            continuation.resume(returning: String(decoding: data, as: UTF8.self))
        }
    }
}

/// The status lines in curl's `-i` output (or a raw exchange), in order. Lines end at CRLF or
/// LF: a body that ends in a bare LF runs straight into the next response's status line.
func statusLines(_ output: String) -> [String] {
    output.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("HTTP/") }.map(String.init)
}

@Suite(.serialized, .enabled(if: Tools.curl && Tools.bash, "needs curl and bash")) struct LiveServerTests {
    @Test func realClientsGetTheRightAnswers() async throws {
        try await withLiveServer { port, _ in
            let base = "http://127.0.0.1:\(port)"
            #expect(statusLines(try await curl(["-i", "--anyauth", "-u", "bob:builder", "\(base)/basic-auth/bob/builder"]))
                    == ["HTTP/1.1 401 Unauthorized", "HTTP/1.1 200 OK"])
            for algorithm in ["MD5", "SHA-256"] {
                let digest = try await curl(["-i", "--digest", "-u", "alice:wonderland", "\(base)/digest-auth/auth/alice/wonderland/\(algorithm)"])
                #expect(statusLines(digest) == ["HTTP/1.1 401 Unauthorized", "HTTP/1.1 200 OK"], "\(algorithm)")
            }
            // Older curl releases hash SHA-512-256 with SHA-256: they must get the note, newer ones in.
            let sha512 = try await curl(["-i", "--digest", "-u", "alice:wonderland", "\(base)/digest-auth/auth/alice/wonderland/SHA-512-256"])
            #expect(statusLines(sha512).last == "HTTP/1.1 200 OK" || sha512.contains("StatusLab-Note: The response parameter was computed with SHA-256"),
                    "\(sha512)")
            let wrongUser = try await curl(["-i", "--digest", "-u", "bob:wonderland", "\(base)/digest-auth/auth/alice/wonderland"])
            #expect(statusLines(wrongUser).last == "HTTP/1.1 401 Unauthorized")
            let token = try await curl(["-i", "-H", "Authorization: Bearer alice-read-token", "-X", "DELETE", "\(base)/api/notes/1"])
            #expect(statusLines(token) == ["HTTP/1.1 403 Forbidden"])
            #expect(token.contains(#"error="insufficient_scope", scope="notes:write""#))
        }
    }

    @Test func aCookieJarLoginFlow() async throws {
        let jar = FileManager.default.temporaryDirectory.appendingPathComponent("jar-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: jar) }
        try await withLiveServer { port, _ in
            let base = "http://127.0.0.1:\(port)"
            let first = try await curl(["-i", "-c", jar, "-b", jar, "-L", "\(base)/app/notes"])
            #expect(statusLines(first) == ["HTTP/1.1 303 See Other", "HTTP/1.1 200 OK"])
            #expect(first.contains("<form method=\"post\" action=\"/app/login\">"))
            let login = try await curl(["-i", "-c", jar, "-b", jar, "-L", "-d", "user=alice", "-d", "password=wonderland",
                                        "\(base)/app/login?next=/app/notes"])
            #expect(statusLines(login) == ["HTTP/1.1 303 See Other", "HTTP/1.1 200 OK"])
            #expect(login.contains("alice's notes"))
            let again = try await curl(["-i", "-b", jar, "\(base)/app/notes"])
            #expect(statusLines(again) == ["HTTP/1.1 200 OK"])
        }
    }

    @Test func garbageOnTheSocketHarmsNoOneElse() async throws {
        try await withLiveServer { port, server in
            // A line that is not HTTP, on a connection of its own: not a request line at all, so a
            // 400 (RFC 9112 §3), not a 501 for a method; the server keeps serving others.
            let garbage = try await run(["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/\(port); printf 'THIS IS NOT HTTP\\r\\n\\r\\n' >&3; timeout 10 cat <&3"])
            #expect(garbage.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(garbage)")
            let after = try await curl(["-i", "http://127.0.0.1:\(port)/api/public"])
            #expect(statusLines(after) == ["HTTP/1.1 200 OK"])
            #expect(server.log.entries.last?.target == "/api/public")
        }
    }

    @Test func theExchangeLogRecordsAndStreams() async throws {
        try await withLiveServer { port, server in
            _ = try await curl(["-i", "-u", "alice:wonderland", "http://127.0.0.1:\(port)/api/notes/2"])
            let exchange = try #require(await firstBatch(of: server.log).first)
            #expect(exchange.method == "GET")
            #expect(exchange.target == "/api/notes/2")
            #expect(exchange.status == 404)
            #expect(exchange.decision?.hasSuffix("hidden-private 404") == true)
            #expect(exchange.requestHeaders.contains { $0.name.lowercased() == "authorization" })
            #expect(exchange.responseHeaders.contains { $0.name == "Content-Type" })
            #expect(exchange.line.hasPrefix("GET /api/notes/2 -> 404 ("))
        }
    }

    @Test func startAndStopForUseInsideAnotherProgram() async throws {
        let server = MockServer(service: MockService(diagrams: diagrams), port: 0)
        let port = try await server.start()
        #expect(statusLines(try await curl(["-i", "http://127.0.0.1:\(port)/api/public"])) == ["HTTP/1.1 200 OK"])
        await server.stop()
        #expect(try await curl(["-i", "http://127.0.0.1:\(port)/api/public"]).isEmpty, "nothing listens after stop")
    }

    @Test(arguments: DecidedByTheModelTests.cases.indices)
    func everyDemoCaseOverARealSocket(_ index: Int) async throws {
        let c = DecidedByTheModelTests.cases[index]
        let expected = try #require(authDiagram.outcome(c.outcome))
        try await withLiveServer { port, _ in
            let query = c.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
            let output = try await curl(["-i", "-X", c.method] + c.headers.flatMap { ["-H", "\($0.name): \($0.value)"] }
                                        + ["http://127.0.0.1:\(port)\(c.path)\(query.isEmpty ? "" : "?" + query)"])
            #expect(statusLines(output).first?.hasPrefix("HTTP/1.1 \(expected.status) ") == true, "\(c.outcome): \(statusLines(output))")
            #expect(output.contains("StatusLab-Decision: ") && output.contains("\(expected.id) \(expected.status)\r\n"), "\(c.outcome)")
        }
    }

    @Test func framingFollowsTheRequestAndTheStatus() async throws {
        try await withLiveServer { port, _ in
            let base = "http://127.0.0.1:\(port)"
            let get = try await curl(["-i", "\(base)/api/public"])
            let head = try await curl(["-I", "\(base)/api/public"])
            let body = try #require(get.components(separatedBy: "\r\n\r\n").last)
            #expect(head.contains("Content-Length: \(body.utf8.count)\r\n"), "HEAD announces the GET body's length")
            #expect(head.hasSuffix("\r\n\r\n"), "and sends no body")
            let noContent = try await curl(["-i", "\(base)/status/204"])
            #expect(noContent.hasPrefix("HTTP/1.1 204 No Content\r\n"))
            #expect(!noContent.lowercased().contains("content-length"), "RFC 9110 §8.6: no Content-Length on 204")
            for method in ["-I", "-i"] {  // HEAD too: there is no GET body length to announce
                for code in [204, 304] {
                    let output = try await curl([method, "\(base)/status/\(code)"])
                    #expect(!output.lowercased().contains("content-length"), "\(method) /status/\(code): \(output)")
                }
            }
            let old = try await curl(["-i", "-0", "\(base)/api/public"])
            #expect(old.hasPrefix("HTTP/1.1 200 OK\r\n"), "RFC 9112 §2.3: the server's own version, 1.1, to a 1.0 request")
            #expect(old.contains("Connection: close\r\n"), "an HTTP/1.0 request without keep-alive is answered, then closed")
            #expect(try await curl(["-i", "\(base)/headers"]).contains(#""Host" : "127.0.0.1:\#(port)""#), "/headers echoes Host too")
        }
    }

    @Test func anInformationalCodeComesBeforeTheFinalResponseButNotToHTTP10() async throws {
        try await withLiveServer { port, server in
            let base = "http://127.0.0.1:\(port)"
            let early = try await curl(["-i", "\(base)/status/103"])
            #expect(statusLines(early) == ["HTTP/1.1 103 Early Hints", "HTTP/1.1 200 OK"], "\(early)")
            #expect(early.hasPrefix("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n"), "\(early)")
            #expect(try await curl(["-i", "-0", "\(base)/status/103"]).hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(statusLines(try await curl(["-i", "\(base)/status/101"])) == ["HTTP/1.1 404 Not Found"])
            let lines = server.log.entries.filter { $0.target == "/status/103" }.map(\.line)
            #expect(lines.count == 2)
            #expect(lines.first?.hasPrefix("GET /status/103 -> 103, 200 (") == true, "the log shows the interim response")
            #expect(lines.last?.hasPrefix("GET /status/103 -> 200 (") == true, "none went to the HTTP/1.0 client")
        }
    }

    @Test func statusLinesUseTheRegistrysNames() async throws {
        try await withLiveServer { port, _ in
            for (code, line) in [(418, "418 Unused"), (413, "413 Content Too Large"), (422, "422 Unprocessable Content"), (401, "401 Unauthorized")] {
                let output = try await curl(["-i", "http://127.0.0.1:\(port)/status/\(code)"])
                #expect(statusLines(output) == ["HTTP/1.1 \(line)"])
            }
        }
    }

    @Test func aClientThatExpects100ContinueGetsIt() async throws {
        try await withLiveServer { port, _ in
            let output = try await curl(["-i", "-H", "Expect: 100-continue", "--data-binary", String(repeating: "x", count: 2048),
                                         "http://127.0.0.1:\(port)/anything"])
            #expect(statusLines(output) == ["HTTP/1.1 100 Continue", "HTTP/1.1 200 OK"])
            #expect(output.contains(String(repeating: "x", count: 2048)), "the body arrived whole")
            let old = try await curl(["-i", "-0", "-H", "Expect: 100-continue", "--data-binary", "x", "http://127.0.0.1:\(port)/anything"])
            #expect(statusLines(old) == ["HTTP/1.1 200 OK"], "an HTTP/1.0 request's expectation is ignored (RFC 9110 §10.1.1)")
        }
    }

    @Test func aBodyAnnouncedTooLargeIsRefusedBeforeItIsSent() async throws {
        var limits = MockServer.Limits()
        limits.maxBodyBytes = 1024
        try await withLiveServer(limits: limits) { port, server in
            let output = try await curl(["-i", "-H", "Expect: 100-continue", "--data-binary", String(repeating: "x", count: 100_000),
                                         "http://127.0.0.1:\(port)/anything"])
            #expect(statusLines(output) == ["HTTP/1.1 413 Content Too Large"], "no 100 Continue for a body that will be refused")
            #expect(output.contains("Connection: close\r\n"))
            #expect(server.log.entries.last?.status == 413)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withLiveServer { port, _ in
            let requests = "GET /api/public HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nGET /api/profile HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"
                + "GET /nope HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n"
            let output = try await run(["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/\(port); printf '\(requests)' >&3; timeout 10 cat <&3; echo \"rc=$?\""])
            #expect(statusLines(output) == ["HTTP/1.1 200 OK", "HTTP/1.1 401 Unauthorized", "HTTP/1.1 404 Not Found"])
            #expect(output.hasSuffix("rc=0\n"), "Connection: close on the last request closes the connection")
        }
    }

    @Test(.enabled(if: Tools.python3, "needs python3")) func aClientThatShutsItsSideGetsItsAnswerAndTheEnd() async throws {
        try await withLiveServer { port, _ in
            // Requests, then shutdown(SHUT_WR): both answered, then the server closes (recv
            // returns nothing) rather than waiting for the idle timeout.
            let script = """
                import socket
                s = socket.create_connection(("127.0.0.1", \(port)))
                s.sendall(b"GET /api/public HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nGET /api/profile HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
                s.shutdown(socket.SHUT_WR)
                s.settimeout(20)
                data = b""
                while chunk := s.recv(65536):
                    data += chunk
                print(data.decode(), end="")
                print("closed")
                """
            let output = try await run(["python3", "-c", script])
            #expect(statusLines(output) == ["HTTP/1.1 200 OK", "HTTP/1.1 401 Unauthorized"])
            #expect(output.hasSuffix("closed\n"))
        }
    }

    @Test func aConnectionThatGoesQuietIsClosed() async throws {
        var limits = MockServer.Limits()
        limits.idleTimeout = .milliseconds(300)
        try await withLiveServer(limits: limits) { port, _ in
            // Halfway through a body, then nothing: the server closes it (cat sees the end, rc 0)
            // long before `timeout` would (rc 124).
            let output = try await run(["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/\(port); "
                                        + "printf 'POST /anything HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 10\\r\\n\\r\\nabc' >&3; "
                                        + "timeout 20 cat <&3; echo \"rc=$?\""])
            #expect(output == "rc=0\n")
        }
    }

    @Test func stoppingClosesOpenConnections() async throws {
        let server = MockServer(service: MockService(diagrams: diagrams), port: 0)
        let port = try await server.start()
        // A keep-alive connection that stays open after its answer, until the server closes it.
        async let client = run(["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/\(port); "
                                + "printf 'GET /api/public HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' >&3; timeout 20 cat <&3; echo \"rc=$?\""])
        _ = await firstBatch(of: server.log)
        await server.stop()
        let output = try await client
        #expect(statusLines(output) == ["HTTP/1.1 200 OK"])
        #expect(output.hasSuffix("rc=0\n"), "closed by the server on stop, not left to the client's timeout")
    }

    @Test func theLogIsBounded() {
        let log = ExchangeLog(capacity: 3)
        for n in 1...5 {
            log.record(Exchange(number: n, date: Date(), method: "GET", target: "/\(n)", requestHeaders: [], bodyPrefix: "",
                                status: 200, serviceHeaders: [], dateField: "", contentLength: nil, content: [], decision: nil, duration: .zero))
        }
        #expect(log.entries.map(\.target) == ["/3", "/4", "/5"])
        // A reader that looks now and then: what is new, and how much it can no longer see.
        let sinceStart = log.entries(after: 0)
        #expect(sinceStart.entries.map(\.number) == [3, 4, 5])
        #expect(sinceStart.missed == 2)
        #expect(log.entries(after: 4).entries.map(\.target) == ["/5"])
        #expect(log.entries(after: 4).missed == 0)
        #expect(log.entries(after: 5).entries.isEmpty)
    }

    @Test(arguments: [(Duration.microseconds(40), "0.0"), (.microseconds(1250), "1.3"), (.microseconds(9960), "10.0"),
                      (.milliseconds(1234) + .microseconds(560), "1234.6"), (.seconds(2), "2000.0")])
    func aLogLineGivesTheDurationInTenthsOfAMillisecond(_ duration: Duration, _ shown: String) {
        let exchange = Exchange(date: Date(), method: "GET", target: "/api/profile", requestHeaders: [], bodyPrefix: "",
                                status: 401, serviceHeaders: [], dateField: "", contentLength: nil, content: [],
                                decision: "exists=yes > challenge 401", duration: duration)
        #expect(exchange.line == "GET /api/profile -> 401 (\(shown) ms)  exists=yes > challenge 401")
    }

    @Test func aPortInUseIsAnError() async throws {
        try await withLiveServer { port, _ in
            let second = MockServer(service: MockService(diagrams: diagrams), port: port)
            await #expect {
                try await second.run()
            } throws: { error in
                if case MockServer.Failure.portInUse(_, let busy) = error { return busy == port }
                return false
            }
        }
    }
}
