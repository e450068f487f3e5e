import Foundation
import StatusLabCore
@testable import StatusLabServer
import Testing
@testable import StatusLabCheck
@testable import StatusLabClient

/// `judge` on traffic from servers: ours, which follows the model, and FastAPI apps recorded
/// with deliberate mistakes (scripts/judge-fixtures says how the files were made).
@Suite(.serialized) struct JudgeTests {
    let auth = library.diagram("auth")!

    static func fixture(_ name: String) throws -> Data { try Data(contentsOf: fixtureURL("traffic/\(name)")) }

    func judged(_ name: String) throws -> TrafficReport.File {
        try TrafficReport.judge(try Self.fixture(name), name: name, auth: auth)
    }

    @Test func theBuiltInServersOwnTrafficFollowsTheModel() async throws {
        let server = MockServer(service: MockService(diagrams: try ServerDiagrams(library)), port: 0)
        let port = try await server.start()
        let entries = try await solveEveryExercise(on: server, base: "http://127.0.0.1:\(port)").flatMap(\.1)
        await server.stop()
        // Recorded as `serve --record` writes it, then judged as a file.
        let file = entries.map(ExchangeRecord.line).joined(separator: "\n") + "\n"
        let report = try TrafficReport.judge(Data(file.utf8), name: "serve.jsonl", auth: auth)
        #expect(report.format == .jsonLines)
        #expect(report.exchanges == entries.count)
        #expect(entries.count >= library.exercises.count)
        #expect(report.findings.isEmpty, "\(report.findings.map { "\($0.exchange): \($0.rule): \($0.detail)" })")
    }

    @Test func fastAPIBefore0122AnswersAMissingTokenWith403() throws {
        let report = try judged("fastapi-0.121.har")
        let rules = Set(report.findings.map(\.rule))
        #expect(rules.contains("403 without credentials"))
        #expect(rules.contains("403 with credentials that cannot be parsed"))
        // The app's own mistakes, in both versions.
        #expect(rules.isSuperset(of: ["401 without a challenge", "login redirect to a script", "200 with an error body", "403 to one caller, 404 to another"]))
    }

    @Test func currentFastAPIChallengesAMissingTokenAndOnlyTheAppsMistakesRemain() throws {
        let report = try judged("fastapi-current.har")
        #expect(Set(report.findings.map(\.rule)) == ["401 without a challenge", "login redirect to a script", "200 with an error body", "403 to one caller, 404 to another"])
        // /admin's 401 without a challenge, each time it was asked.
        #expect(report.findings.filter { $0.rule == "401 without a challenge" }.allSatisfy { $0.exchange.contains("/admin") })
    }
}
