import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import StatusLabClient
import StatusLabCore
import StatusLabServer
import Testing
@testable import StatusLabCheck

/// A small API on a free port that answers by `respond`: the learner's server, right or with
/// one classic mistake.
final class FakeAPI: @unchecked Sendable {
    typealias Responder = @Sendable (_ method: String, _ path: String, _ authorization: String?) -> (Int, [(String, String)], String)
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    init(_ respond: @escaping Responder) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(respond: respond))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func stop() async { try? await channel.close() }

    final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let respond: Responder
        var head: HTTPRequestHead?
        init(respond: @escaping Responder) { self.respond = respond }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let request): head = request
            case .body: break
            case .end:
                guard let request = head else { return }
                let (status, headers, body) = respond(request.method.rawValue, request.uri, request.headers.first(name: "Authorization"))
                var fields = HTTPHeaders(headers)
                fields.add(name: "Content-Length", value: "\(body.utf8.count)")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: fields))), promise: nil)
                if request.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil) }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}

/// The classic mistakes, each one switched on in an otherwise right API.
struct Mistakes: OptionSet, Sendable {
    let rawValue: Int
    static let forbiddenForAnonymous = Mistakes(rawValue: 1)
    static let noChallenge = Mistakes(rawValue: 2)
    static let servesOthersNotes = Mistakes(rawValue: 4)
    static let hiddenAnswers403 = Mistakes(rawValue: 8)
    static let errorWithoutToken = Mistakes(rawValue: 16)
}

func learnersAPI(_ mistakes: Mistakes) -> FakeAPI.Responder {
    { method, path, authorization in
        if path == "/health" { return (200, [("Content-Type", "text/plain")], "ok\n") }
        let challenge = mistakes.contains(.noChallenge) ? [] : [("WWW-Authenticate", #"Bearer realm="api""# + (mistakes.contains(.errorWithoutToken) ? #", error="invalid_token""# : ""))]
        guard let authorization else {
            return mistakes.contains(.forbiddenForAnonymous) ? (403, [], "forbidden\n") : (401, challenge, "log in\n")
        }
        var user: String? = nil
        if authorization == "Bearer alice-token" { user = "alice" }
        else if authorization == "Bearer old-token" { return (401, [("WWW-Authenticate", #"Bearer realm="api", error="invalid_token""#)], "expired\n") }
        else if authorization == "Basic " + Data("bob:builder".utf8).base64EncodedString() { user = "bob" }
        else if authorization.hasPrefix("Bearer "), authorization.dropFirst(7).contains(" ") {
            return (400, [("WWW-Authenticate", #"Bearer realm="api", error="invalid_request""#)], "bad request\n")
        } else if authorization.hasPrefix("Basic "), Data(base64Encoded: String(authorization.dropFirst(6))) == nil {
            return (400, [], "bad request\n")
        } else if authorization.hasPrefix("Basic ") {
            return (401, [("WWW-Authenticate", #"Basic realm="api""#)], "wrong\n")
        } else {
            return (401, [("WWW-Authenticate", #"Bearer realm="api", error="invalid_token""#)], "wrong\n")
        }
        let owners = ["/notes/1": "alice", "/notes/2": "bob"]
        guard let owner = owners[path] else { return (404, [], "no such note\n") }
        if owner == user || mistakes.contains(.servesOthersNotes) { return (200, [("Content-Type", "text/plain")], "note\n") }
        if path == "/notes/2" { return mistakes.contains(.hiddenAnswers403) ? (403, [], "not yours\n") : (404, [], "no such note\n") }
        return (403, [], "not yours\n")
    }
}

@Suite(.serialized) struct CheckTests {
    static func plan(_ port: Int) -> String {
        """
        base: http://127.0.0.1:\(port)
        credentials:
          alice: { bearer: alice-token }        # or basic: "alice:secret", or cookie: "session=abc"
          bob: { basic: "bob:builder" }
          old: { bearer: old-token, expired: true }
        resources:
          - path: /notes/1
            allow: [alice]                      # identified callers not listed get 403
          - path: /notes/2
            allow: [bob]
            hidden: true                        # others get exactly what a missing resource gets
          - path: /health
            public: true
        missing: /notes/999999                  # a path that does not exist
        """
    }

    func check(_ mistakes: Mistakes) async throws -> [APICheck.Result] {
        let api = try await FakeAPI(learnersAPI(mistakes))
        defer { Task { await api.stop() } }
        let plan = try CheckPlan.parse(Self.plan(api.port))
        return await APICheck(plan: plan, auth: library.diagram("auth")!).run()
    }

    @Test func theIssuesPlanParsesAndARightAPIPasses() async throws {
        let results = try await check([])
        let failures = results.filter { !$0.passed }
        #expect(failures.isEmpty, "\(failures.map { "\($0.name): \($0.detail)" })")
        #expect(results.count > 60)
        #expect(results.contains { $0.name == "HEAD /notes/1 (as alice)" && $0.passed })
    }

    @Test(arguments: [
        (Mistakes.forbiddenForAnonymous, "GET /notes/1 (no credentials)", "expected 401 Unauthorized"),
        (Mistakes.noChallenge, "GET /notes/1 (no credentials): challenge", "a 401 must carry WWW-Authenticate"),
        (Mistakes.servesOthersNotes, "GET /notes/1 (as bob)", "expected 403 Forbidden"),
        (Mistakes.hiddenAnswers403, "/notes/2 hidden like /notes/999999 (as alice)", "a hidden resource must answer exactly as a missing one"),
        (Mistakes.errorWithoutToken, "GET /notes/1 (no credentials): no error code", "a request without a token gets a challenge with no error code"),
    ])
    func eachClassicMistakeIsCaughtAndExplained(_ mistake: Mistakes, _ name: String, _ explanation: String) async throws {
        let results = try await check(mistake)
        let failure = results.first { $0.name == name }
        #expect(failure?.passed == false, "\(name) should fail: \(results.filter { !$0.passed }.map(\.name))")
        #expect(failure?.detail.contains(explanation) == true, "\(String(describing: failure?.detail))")
    }

    /// An API that refuses everyone with 403: HEAD is judged by the model as GET is (a HEAD that
    /// matches a wrong GET is still wrong), and a code with no alternative is said plainly.
    @Test func headIsJudgedByTheModelAndMessagesNameOnlyRealAlternatives() async throws {
        let api = try await FakeAPI { _, _, _ in (403, [("Content-Type", "text/plain")], "no") }
        defer { Task { await api.stop() } }
        let results = await APICheck(plan: try CheckPlan.parse(Self.plan(api.port)), auth: library.diagram("auth")!).run()
        let head = results.first { $0.name == "HEAD /notes/1 (no credentials)" }
        #expect(head?.passed == false, "\(String(describing: head))")
        #expect(head?.detail.contains("expected 401 Unauthorized") == true)
        #expect(results.first { $0.name == "HEAD /notes/1 (no credentials): as GET" }?.passed == true)
        let health = try #require(results.first { $0.name == "GET /health (no credentials)" })
        #expect(health.detail.hasPrefix("expected 200 OK (public, let in), got 403 Forbidden."), "\(health.detail)")
        #expect(!results.contains { $0.detail.contains("or one of ,") || $0.detail.contains("under Wire") })
    }

    @Test func theBuiltInServerPassesUnderEveryPolicy() async throws {
        for policies in [Policies(), Policies(hideForbidden: true), Policies(loginByRedirect: false), Policies(describeErrors: false)] {
            let server = MockServer(service: MockService(diagrams: try ServerDiagrams(library), policies: policies), port: 0)
            let port = try await server.start()
            let plan = try CheckPlan.parse("""
                base: http://127.0.0.1:\(port)
                credentials:
                  alice: { bearer: alice-read-token }
                  bob: { basic: "bob:builder" }
                  old: { bearer: alice-expired-token, expired: true }
                resources:
                  - path: /api/notes/1
                    allow: [alice]
                  - path: /api/notes/2
                    allow: [bob]
                    hidden: true
                  - path: /api/public
                    public: true
                missing: /api/notes/999999
                """)
            let failures = await APICheck(plan: plan, auth: library.diagram("auth")!).run().filter { !$0.passed }
            #expect(failures.isEmpty, "\(policies): \(failures.map { "\($0.name): \($0.detail)" })")
            await server.stop()
        }
    }

    @Test func aBadPlanNamesItsLineAndAnUnreachableAPIIsSaidPlainly() async throws {
        #expect(throws: CheckPlan.Problem.self) { try CheckPlan.parse("base: http://x\\nresources: []\\n") }
        do {
            _ = try CheckPlan.parse("base: http://x\ncredentials:\n  alice: { token: x }\nresources:\n  - path: /a\n")
            Issue.record("accepted")
        } catch {
            #expect(error.line == 3 && error.message == "credential `alice` needs bearer:, basic:, cookie: or apikey:", "\(error)")
        }
        let plan = try CheckPlan.parse("base: http://127.0.0.1:1\nresources:\n  - path: /a\n    public: true\n")
        let results = await APICheck(plan: plan, auth: library.diagram("auth")!).run()
        #expect(results.count == 1 && results[0].detail.hasPrefix("connection refused"), "\(results.map(\.detail))")
    }

    @Test func reportsAreTextJSONAndJUnit() throws {
        let results = [APICheck.Result(name: "GET /a (no credentials)", passed: false, detail: "expected 401 <x>", path: "auth: x", page: "401"),
                       APICheck.Result(name: "GET /b", passed: true, detail: "ok", path: nil, page: nil)]
        let text = CheckReport.render(results, format: .text, base: "http://x")
        #expect(text.contains("FAIL  GET /a (no credentials)\n      expected 401 <x>\n      decision: auth: x\n      read: statuslab explain 401"))
        #expect(text.hasSuffix("1 passed, 1 failed\n"))
        let json = try JSONSerialization.jsonObject(with: Data(CheckReport.render(results, format: .json, base: "http://x").utf8)) as? [String: Any]
        #expect(json?["failed"] as? Int == 1)
        let junit = CheckReport.render(results, format: .junit, base: "http://x")
        #expect(junit.contains(#"<testsuite name="statuslab check http://x" tests="2" failures="1">"#))
        #expect(junit.contains("<failure message=\"expected 401 &lt;x&gt;\">"))
    }
}

/// A server that answers every connection with the same raw bytes and closes it: one that cuts
/// its responses short, or answers garbage.
final class RawAnswerServer: @unchecked Sendable {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    /// `answer` nil: never answers.
    init(answer: String?) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler(answer: answer)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func stop() async { try? await channel.close() }

    final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let answer: String?
        var answered = false
        init(answer: String?) { self.answer = answer }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered, let answer else { return }
            answered = true
            context.writeAndFlush(NIOAny(ByteBuffer(string: answer))).whenComplete { _ in context.close(promise: nil) }
        }
    }
}

@Suite(.serialized) struct MisbehavingServerCheckTests {
    func results(answering answer: String) async throws -> [APICheck.Result] {
        let server = try await RawAnswerServer(answer: answer)
        let plan = try CheckPlan.parse("base: http://127.0.0.1:\(server.port)\nresources:\n  - path: /notes/1\n")
        let results = await APICheck(plan: plan, auth: library.diagram("auth")!).run()
        await server.stop()
        return results
    }

    @Test func aResponseCutShortIsAFailedProbeNotAnAnswer() async throws {
        let results = try await results(answering: "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nContent-Length: 100\r\n\r\nshort")
        let anonymous = try #require(results.first { $0.name == "GET /notes/1 (no credentials)" })
        #expect(!anonymous.passed)
        #expect(anonymous.detail.contains("closed the connection in the middle of the response"), "\(anonymous.detail)")
        #expect(anonymous.detail.contains("a 401 began, but a response cut short is a failed probe"), "\(anonymous.detail)")
        #expect(!results.contains { $0.passed }, "nothing is graded from a partial answer: \(results.filter(\.passed).map(\.name))")
    }

    @Test func aServerThatNeverAnswersIsAFailedProbe() async throws {
        // Accepts, reads, and says nothing: the client's time limit ends each probe.
        let server = try await RawAnswerServer(answer: nil)
        var client = LabClient()
        client.timeout = .milliseconds(300)
        let plan = try CheckPlan.parse("base: http://127.0.0.1:\(server.port)\nresources:\n  - path: /notes/1\n    public: true\n")
        let results = await APICheck(plan: plan, auth: library.diagram("auth")!, client: client).run()
        await server.stop()
        #expect(results.count == 1 && !results[0].passed)
        #expect(results[0].detail.contains("no complete answer within the time limit"), "\(results[0].detail)")
    }

    @Test func garbageIsSaidToBeNotHTTP() async throws {
        let results = try await results(answering: "SSH-2.0-OpenSSH_9.2\r\n")
        #expect(results.allSatisfy { !$0.passed })
        #expect(results.first?.detail.contains("not well-formed HTTP/1.1") == true, "\(results.first?.detail ?? "")")
    }
}
