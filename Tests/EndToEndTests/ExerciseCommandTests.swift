import Foundation
import Testing
import TestSupport

/// `statuslab exercise` as a learner uses it, learnyounode-style: list, show, watch while curl
/// solves the first exercise from outside, reset.
@Suite(.serialized, .enabled(if: Tools.curl, "needs curl")) struct ExerciseCommandTests {
    @Test func listShowWatchAndReset() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("exercise-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let environment = ["XDG_STATE_HOME": state.path]
        let list = try run(["exercise", "list"], environment: environment)
        #expect(list.status == 0, "\(list)")
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count >= 20)
        #expect(lines.first?.hasPrefix("1. ") == true && !list.stdout.contains("[done]"))
        let show = try run(["exercise", "show", "1"], environment: environment)
        #expect(show.stdout.contains("Goal: ") && show.stdout.contains("Hint 1: "), "\(show)")
        #expect(show.stdout.contains("curl -i http://127.0.0.1:8401/api/profile"), "\(show)")
        // ux-walk-1 H2: hints name the server that listens, not always 8401.
        let elsewhere = try run(["exercise", "show", "1", "--port", "9123"], environment: environment)
        #expect(elsewhere.stdout.contains("curl -i http://127.0.0.1:9123/api/profile") && !elsewhere.stdout.contains("8401"), "\(elsewhere)")
        let missing = try run(["exercise", "show", "999"], environment: environment)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("there is no exercise 999"))

        // watch, with the first exercise solved by curl from outside.
        let (watch, output) = try launch(["exercise", "watch", "--port", "0"], environment: ["XDG_STATE_HOME": state.path])
        defer { if watch.isRunning { watch.terminate() } }
        var text = await output.wait(for: "Stuck?")
        let port = try #require(text.firstMatch(of: /http:\/\/127\.0\.0\.1:(\d+)\//).map { String($0.1) }, "\(text)")
        #expect(text.contains("`statuslab exercise hint 1 --port \(port)`"), "\(text)")
        #expect(text.contains("1. "))
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        curl.arguments = ["curl", "-s", "-o", "/dev/null", "http://127.0.0.1:\(port)/api/profile"]
        try curl.run()
        text = await output.wait(for: "Next: 2. ")
        #expect(text.contains("solved 1/"), "\(text)")
        await stop(watch, with: SIGINT)
        #expect(watch.terminationStatus == 0)
        #expect(try run(["exercise", "list"], environment: environment).stdout.split(separator: "\n").first?.hasSuffix("[done]") == true)
        // One exercise opened again leaves the others; hints come one at a time; next says what is left.
        let first = try run(["exercise", "hint", "2"], environment: environment)
        #expect(first.stdout.hasPrefix("Hint 1 of "), "\(first)")
        let second = try run(["exercise", "hint", "2", "--port", "9123"], environment: environment)
        #expect(second.stdout.hasPrefix("Hint 2 of "), "\(second)")
        let next = try run(["exercise", "next"], environment: environment)
        #expect(next.stdout.hasPrefix("1 of \(lines.count) solved.\n\n2. "), "\(next)")
        #expect(next.stdout.contains("Left after it (\(lines.count - 2)): 3. "))
        let one = try run(["exercise", "reset", "1"], environment: environment)
        #expect(one.status == 0 && one.stdout.contains("1. ") && one.stdout.contains("is open again"), "\(one)")
        #expect(!(try run(["exercise", "list"], environment: environment).stdout.contains("[done]")))
        #expect(try run(["exercise", "hint", "2"], environment: environment).stdout.hasPrefix("Hint 3 of "), "resetting 1 keeps 2's hints")
        let reset = try run(["exercise", "reset"], environment: environment)
        #expect(reset.status == 0)
        #expect(!(try run(["exercise", "list"], environment: environment).stdout.contains("[done]")))
    }
}

@Suite struct CheckCommandTests {
    @Test func aBadPlanIsExit2WithFileAndLineAndFailuresAreExit1() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plans-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.yaml")
        try Data("base: http://127.0.0.1:1\nresources:\n  - path: /a\n    allow: [nobody]\n".utf8).write(to: bad)
        let refused = try run(["check", bad.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(bad.path):4: `nobody` is not a credential of this plan"), "\(refused)")
        let unreachable = folder.appendingPathComponent("plan.yaml")
        try Data("base: http://127.0.0.1:1\nresources:\n  - path: /health\n    public: true\n".utf8).write(to: unreachable)
        let result = try run(["check", unreachable.path, "--format", "junit"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("<failure message=\"connection refused: nothing listens on 127.0.0.1:1."), "\(result)")
    }
}
