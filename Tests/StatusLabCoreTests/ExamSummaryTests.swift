import Foundation
import Testing
@testable import StatusLabCore

@Suite struct ExamSummaryTests {
    func result(seed: UInt64, _ rows: [(String, [String], Bool)]) throws -> ExamSummary.Result {
        let questions = rows.map { id, given, correct in
            #"{"id":"\#(id)","topics":["tokens"],"difficulty":"easy","given":[\#(given.map { "\"\($0)\"" }.joined(separator: ","))],"accepted":["401"],"correct":\#(correct),"seconds":2.5}"#
        }
        let json = #"{"mode":"exam","seed":\#(seed),"started":"2026-12-01T10:00:00Z","score":\#(rows.filter(\.2).count),"total":\#(rows.count),"byTopic":{},"questions":[\#(questions.joined(separator: ","))]}"#
        return try #require(ExamSummary.read(Data(json.utf8)).first)
    }

    @Test func aRoomIsSummedPerQuestionHardestFirstAndPerTopic() throws {
        let summary = ExamSummary([
            try result(seed: 7, [("easy-one", ["401"], true), ("hard-one", ["403"], false)]),
            try result(seed: 7, [("easy-one", ["401"], true), ("hard-one", ["403"], false)]),
            try result(seed: 7, [("easy-one", ["400"], false), ("hard-one", ["404"], false)]),
        ])
        #expect(summary.results == 3)
        #expect(summary.questions.map(\.id) == ["hard-one", "easy-one"])
        #expect(summary.questions[0].commonWrong?.answer == "403" && summary.questions[0].commonWrong?.count == 2)
        #expect(summary.questions[1].right == 2 && summary.questions[1].asked == 3)
        #expect(summary.topics.first?.topic == "tokens" && summary.topics.first?.right == 2 && summary.topics.first?.asked == 6)
        #expect(summary.text.hasPrefix("3 exams; 2 of 6 answers right (33%)\n"))
        #expect(summary.text.contains("  hard-one  0/3 right (0%); most given wrong answer: 403 (2)"))
        #expect(!summary.text.contains("different seeds"))
        // The same, as JSON for scripts and gradebooks.
        let json = try #require(try JSONSerialization.jsonObject(with: summary.json()) as? [String: Any])
        #expect(json["exams"] as? Int == 3 && json["right"] as? Int == 2 && json["answered"] as? Int == 6)
        let first = try #require((json["questions"] as? [[String: Any]])?.first)
        #expect(first["id"] as? String == "hard-one")
        #expect((first["mostGivenWrong"] as? [String: Any])?["answer"] as? String == "403")
        let mixed = ExamSummary([try result(seed: 1, [("a", ["1"], true)]), try result(seed: 2, [("a", ["1"], true)])])
        #expect(mixed.text.contains("note: the exams used 2 different seeds (1, 2)"))
    }

    @Test func aRoomsArrayOfExamsReadsAsItsExams() throws {
        let one = #"{"mode":"exam","seed":1,"score":1,"total":1,"questions":[{"id":"q","topics":["tokens"],"difficulty":"easy","given":["401"],"accepted":["401"],"correct":true,"seconds":1}]"#
        let exams = try ExamSummary.read(Data("  [\(one),\"name\":\"Ada\"}, \(one)}]".utf8))
        #expect(exams.map(\.name) == ["Ada", nil])
        #expect(throws: DecodingError.self) { try ExamSummary.read(Data("[\(one)}, {\"mode\":\"practice\",\"seed\":1,\"score\":0,\"total\":0,\"questions\":[]}]".utf8)) }
    }

    @Test func somethingThatIsNotAnExamIsRefusedWithTheReason() {
        #expect(throws: DecodingError.self) { try ExamSummary.read(Data(#"{"x":1}"#.utf8)) }
        #expect(throws: DecodingError.self) {
            try ExamSummary.read(Data(#"{"mode":"practice","seed":1,"score":0,"total":0,"questions":[]}"#.utf8))
        }
    }
}
