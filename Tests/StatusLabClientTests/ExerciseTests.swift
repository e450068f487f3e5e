import Foundation
import StatusLabCore
@testable import StatusLabServer
import Testing
@testable import StatusLabClient

/// Every built-in exercise is solvable: its steps' `send:` requests, sent over real sockets to
/// the built-in server, produce exchanges that meet its goal; and exchanges that do something
/// else do not.
@Suite(.serialized) struct ExerciseSolutionTests {
    @Test func theContentHasTwentyOrMoreOrderedExercises() {
        #expect(library.exercises.count >= 20)
        #expect(library.exercises.map(\.order) == library.exercises.map(\.order).sorted())
    }

    @Test func everyExerciseIsSolvedByItsOwnRequests() async throws {
        let server = MockServer(service: MockService(diagrams: try ServerDiagrams(library)), port: 0)
        let port = try await server.start()
        var tracker = ExerciseTracker(exercises: library.exercises, progress: ExerciseProgress())
        for (exercise, entries) in try await solveEveryExercise(on: server, base: "http://127.0.0.1:\(port)") {
            #expect(exercise.isSolved(by: entries),
                    "\(exercise.id): \(exercise.progress(in: entries)) of \(exercise.steps.count) steps met by \(entries.map { "\($0.method) \($0.target) \($0.status) \($0.decision ?? "")" })")
            _ = tracker.observe(entries)
        }
        #expect(tracker.solvedCount == library.exercises.count)
        await server.stop()
    }

    @Test func unrelatedExchangesSolveNothing() async throws {
        let server = MockServer(service: MockService(diagrams: try ServerDiagrams(library)), port: 0)
        let port = try await server.start()
        _ = await LabClient().send(LabRequest(url: "/"), base: "http://127.0.0.1:\(port)")
        _ = await LabClient().send(LabRequest(url: "/api/public"), base: "http://127.0.0.1:\(port)")
        var tracker = ExerciseTracker(exercises: library.exercises, progress: ExerciseProgress())
        #expect(tracker.observe(server.log.entries.map(LiveLabBackend.entry)).isEmpty)
        await server.stop()
    }
}

/// Prose that runs: what pages and exercises say the built-in server answers, sent to it.
@Suite struct ClaimTests {
    @Test func everyClaimTheContentMakesIsBorneOutByTheServer() async throws {
        // The sentences the content audit found drifting carry their claims now.
        let claimed = Set(library.claims.map { "\($0.request.method) \($0.request.url)" })
        #expect(claimed.isSuperset(of: ["GET /api/nothing-here", "GET /api/notes/99", "GET /api/internal", "PUT /api/profile"]))
        let drifts = try await ClaimReplay.drifts(in: library)
        #expect(drifts.isEmpty, "\(drifts)")
    }
}

/// Sends every exercise's `send:` requests to `server`, as a learner would (a token fetched
/// where a step needs one, a stale Digest nonce where it asks for one, cookies kept), and
/// returns the exchanges each exercise's requests made.
func solveEveryExercise(on server: MockServer, base: String) async throws -> [(Exercise, [LabLogEntry])] {
    var newest = server.log.entries.last?.number ?? 0
    var solved: [(Exercise, [LabLogEntry])] = []
    for exercise in library.exercises {
        var jar = CookieJar()
        for step in exercise.steps {
            var request = try #require(step.solution, "\(exercise.id): step `\(step.label)` has no send:")
            if let account = step.tokenFor {
                let form = "grant_type=password&username=\(account.user)&password=\(account.password)&scope=\(account.scope)"
                let issued = await LabClient().send(LabRequest(method: "POST", url: "/oauth/token",
                                                               headers: [.init(name: "Content-Type", value: "application/x-www-form-urlencoded")],
                                                               body: form), base: base)
                let body = try #require(issued.final?.response?.body)
                let token = try #require((try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["access_token"] as? String)
                request.credentials = .header("Bearer \(token)")
            }
            if step.staleDigest, case .digest(let user, let password) = request.credentials {
                // What a learner does by waiting a minute: answer with a nonce issued an hour ago.
                let old = server.service.digest.challenge(qop: "auth", algorithm: .md5, now: Date().addingTimeInterval(-3600))
                let target = try request.target(base: base).target
                request.credentials = .header(try #require(DigestAuth.answer(challenge: old, method: request.method, target: target,
                                                                             body: [], user: user, password: password)))
            }
            if let cookies = jar.header, !request.headers.contains(where: { $0.name.lowercased() == "cookie" }) {
                request.headers.append(.init(name: "Cookie", value: cookies))
            }
            let result = await LabClient().send(request, base: base)
            for exchange in result.exchanges { jar = jar.receiving(exchange.response?.headers("Set-Cookie") ?? []) }
        }
        let (exchanges, _) = server.log.entries(after: newest)
        newest = exchanges.last?.number ?? newest
        solved.append((exercise, exchanges.map(LiveLabBackend.entry)))
    }
    return solved
}
