import Foundation
import Testing
import TestSupport

/// The man page and the shell completions come from the command definitions; the checked-in
/// page must match them.
@Suite(.enabled(if: Tools.python3, "needs python3")) struct ManualTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theManPageIsCurrent() throws {
        let help = try run(["--experimental-dump-help"])
        #expect(help.status == 0)
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        generator.arguments = ["python3", Self.repository.appendingPathComponent("scripts/generate-manual.py").path]
        let input = Pipe(), output = Pipe()
        generator.standardInput = input
        generator.standardOutput = output
        try generator.run()
        input.fileHandleForWriting.write(Data(help.stdout.utf8))
        try input.fileHandleForWriting.close()
        let generated = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        generator.waitUntilExit()
        let checkedIn = try String(contentsOf: Self.repository.appendingPathComponent("assets/man/statuslab.1"), encoding: .utf8)
        #expect(generated == checkedIn, "assets/man/statuslab.1 is stale: statuslab --experimental-dump-help | scripts/generate-manual.py > assets/man/statuslab.1")
        for command in ["explain", "codes", "flow", "quiz", "serve", "lab", "exercise", "check", "content"] {
            #expect(checkedIn.contains(".Ss statuslab \(command)"), "\(command)")
        }
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionsCoverTheCommands(_ shell: String) throws {
        let script = try run(["--generate-completion-script", shell])
        #expect(script.status == 0)
        for command in ["explain", "serve", "lab", "exercise", "check"] { #expect(script.stdout.contains(command), "\(shell): \(command)") }
    }
}
