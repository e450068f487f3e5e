import Foundation
import Testing

@Suite struct QuizCommandTests {
    /// A fresh state folder, so runs never touch the user's progress.
    func stateFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statuslab-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func aSeededPlainRunIsTheSameEveryTimeAndEndsWithAScore() throws {
        let state = try stateFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let input = "1\n1 2\n1 2 3 4\n1\n1 2 3\n1 2 3 4 5\n"
        let first = try run(["quiz", "--plain", "--seed", "7", "--count", "3"], environment: ["XDG_STATE_HOME": state.path], input: input)
        let second = try run(["quiz", "--plain", "--seed", "7", "--count", "3"], environment: ["XDG_STATE_HOME": state.path], input: input)
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout == second.stdout)
        let last = try #require(first.stdout.split(separator: "\n").last)
        #expect(last.wholeMatch(of: /score: [0-3]\/3/) != nil, "\(last)")
        #expect(first.stdout.contains("Question 3/3"))
        #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("statuslab/progress.json").path))
    }

    @Test func endOfInputIsAClearError() throws {
        let state = try stateFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let result = try run(["quiz", "--plain", "--seed", "7", "--count", "3"], environment: ["XDG_STATE_HOME": state.path], input: "")
        #expect(result.status == 1)
        #expect(result.stderr.contains("input ended after 0 of 3 questions."))
    }

    @Test func anExamExportsItsResults() throws {
        let state = try stateFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let export = state.appendingPathComponent("results.json")
        let result = try run(["quiz", "--plain", "--exam", "--seed", "3", "--count", "2", "--export", export.path],
                             environment: ["XDG_STATE_HOME": state.path], input: String(repeating: "1 2 3 4 5 6\n1\n1 2\n", count: 2))
        #expect(result.stdout.split(separator: "\n").last?.hasPrefix("score: ") == true, "\(result)")
        #expect(!result.stdout.contains("Right."))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: export)) as! [String: Any]
        #expect(json["total"] as? Int == 2)
        #expect(json["seed"] as? Int == 3)
        #expect((json["questions"] as? [[String: Any]])?.allSatisfy { $0["given"] != nil && $0["correct"] != nil && $0["seconds"] != nil } == true)
    }

    @Test func aCorruptProgressFileIsMovedAsideWithAMessage() throws {
        let state = try stateFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let folder = state.appendingPathComponent("statuslab")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("not json".utf8).write(to: folder.appendingPathComponent("progress.json"))
        let result = try run(["quiz", "--plain", "--seed", "1", "--count", "1"], environment: ["XDG_STATE_HOME": state.path],
                             input: "1\n1 2\n1 2 3 4 5 6\n1 2 3 4 5\n1 2 3 4\n1 2 3\n")
        #expect(result.stderr.contains("Your progress file could not be read"), "\(result)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let aside = try #require(names.first { $0.hasPrefix("progress.corrupt-") })
        #expect(try String(contentsOf: folder.appendingPathComponent(aside), encoding: .utf8) == "not json")
        #expect(names.contains("progress.json"), "a new progress file was started")
    }

    @Test func badOptionsAreRefused() throws {
        let topic = try run(["quiz", "--plain", "--topic", "gossip"])
        #expect(topic.status != 0)
        #expect(topic.stderr.contains("--topic takes one of"))
        let export = try run(["quiz", "--plain", "--export", "/tmp/x.json"])
        #expect(export.stderr.contains("--export writes an exam's results: add --exam."))
    }

    @Test func aRoomsExportedExamsAreSummarized() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exams-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [String] = []
        for learner in 1...3 {
            let file = folder.appendingPathComponent("learner\(learner).json").path
            let state = folder.appendingPathComponent("state\(learner)").path
            let sat = try run(["quiz", "--plain", "--exam", "--count", "3", "--seed", "11", "--export", file],
                              environment: ["XDG_STATE_HOME": state], input: "1\n2\n1\n")
            #expect(sat.status == 0, "\(sat)")
            files.append(file)
        }
        let summary = try run(["quiz", "summarize"] + files)
        #expect(summary.status == 0, "\(summary)")
        #expect(summary.stdout.hasPrefix("3 exams; "))
        #expect(summary.stdout.contains("By question, hardest first:"))
        #expect(summary.stdout.contains("By topic:"))
        let bad = folder.appendingPathComponent("notes.txt")
        try Data("not json".utf8).write(to: bad)
        let withBad = try run(["quiz", "summarize", files[0], bad.path])
        #expect(withBad.status == 1)
        #expect(withBad.stderr.contains("\(bad.path): not exam results"), "\(withBad)")
        #expect(withBad.stdout.hasPrefix("1 exam; "))
    }
}
