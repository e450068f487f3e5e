import ArgumentParser
import Foundation
import StatusLabCore
import StatusLabTUI

struct Quiz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiz",
        abstract: "Quiz yourself on status-code choice: practice, review what you missed, or sit an exam.",
        discussion: """
            Progress is kept in $XDG_STATE_HOME/statuslab/progress.json (else \
            ~/.local/state/statuslab/). With --plain, questions are numbered lines; answer by \
            number (several numbers for pick-all and order questions). The run ends with a line \
            `score: <right>/<total>`. `quiz summarize` puts a room's exported exams together.
            """,
        subcommands: [Summarize.self]
    )

    @Flag(help: "Ask on standard input and output instead of the full screen.") var plain = false
    @Option(help: ArgumentHelp("Only questions on this topic: \(QuizQuestion.topics.joined(separator: ", ")).", valueName: "topic"))
    var topic: String?
    @Option(help: ArgumentHelp("Only easy, medium or hard questions.", valueName: "level")) var difficulty: String?
    @Option(help: "How many questions (default: \(QuizRun.examLength) for an exam, all for practice).") var count: Int?
    @Option(help: "Order the questions by this seed: the same seed gives everyone the same run.") var seed: UInt64?
    @Flag(help: "Exam: no feedback until the end, then a summary by topic.") var exam = false
    @Flag(help: "Review: the questions due again (missed ones first).") var review = false
    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Minutes allowed for an exam.", valueName: "minutes"))
    var timeLimit: Double?
    @Option(help: ArgumentHelp("Write the exam's results as JSON to this file.", valueName: "file")) var export: String?

    @OptionGroup var joining: RoomJoinOptions
    @OptionGroup var options: GlobalOptions
    @OptionGroup var interface: InterfaceOptions

    func validate() throws {
        if let topic, !QuizQuestion.topics.contains(topic) {
            throw ValidationError("--topic takes one of \(QuizQuestion.topics.joined(separator: ", ")), not `\(topic)`.")
        }
        if let difficulty, QuizQuestion.Difficulty(rawValue: difficulty) == nil {
            throw ValidationError("--difficulty takes easy, medium or hard, not `\(difficulty)`.")
        }
        if let count, count < 1 { throw ValidationError("--count must be at least 1.") }
        if let timeLimit, timeLimit <= 0 { throw ValidationError("--time-limit must be a positive number of minutes.") }
        if exam && review { throw ValidationError("--exam and --review cannot be combined.") }
        if timeLimit != nil && !exam { throw ValidationError("--time-limit applies to an exam: add --exam.") }
        if export != nil && !exam { throw ValidationError("--export writes an exam's results: add --exam.") }
        if joining.room != nil && !exam { throw ValidationError("--room hands an exam in: add --exam.") }
    }

    var mode: QuizSession.Mode { exam ? .exam : review ? .review : .practice }

    func run() throws {
        // In a room the exam is written where it is handed in from, as well as to --export.
        let handIn = joining.client != nil ? export ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("statuslab-exam-\(ProcessInfo.processInfo.processIdentifier).json").path : nil
        try runQuiz(exportPath: handIn ?? export)
        if let handIn { try self.handIn(handIn) }
    }

    /// Hands the exam in to the room; on failure the file is kept and named, so nothing is lost.
    func handIn(_ path: String) throws {
        guard let client = joining.client, let data = FileManager.default.contents(atPath: path) else { return }
        let name = joining.name ?? "", code = joining.code ?? ""
        let (handedIn, said) = Sync.wait { () -> (Bool, String) in
            do {
                let membership = try await client.membership(name: name, code: code, store: RoomMembership.store())
                try await client.handIn(membership, exam: data)
                return (true, "statuslab: the exam is handed in to the room at \(client.room) as \(membership.name).")
            } catch {
                return (false, "statuslab: could not hand the exam in: \(error). It is kept in \(path); hand it to the instructor.")
            }
        }
        Output.error(said)
        if handedIn, export == nil { try? FileManager.default.removeItem(atPath: path) }
        if !handedIn { throw ExitCode(1) }
    }

    func runQuiz(exportPath export: String?) throws {
        let library = try options.loadLibrary()
        let store = ProgressStore(file: ProgressStore.standardFile())
        let (progress, notice, canSave) = store.load()
        if let notice { Output.error("statuslab: \(notice)") }
        let filter = QuizSession.Filter(topic: topic, difficulty: difficulty.flatMap(QuizQuestion.Difficulty.init))
        // The count as asked (nil: each mode's own length, which QuizRun decides), so that runs
        // started from the full screen's menu afterwards get their own length too.
        var settings = QuizSettings(mode: mode, filter: filter, count: count,
                                    seed: seed ?? UInt64.random(in: 1...UInt64(Int32.max)),
                                    timeLimit: timeLimit.map { $0 * 60 }, exportPath: export)
        settings.handInTo = joining.client?.room
        guard plain else {
            let palette = try interface.palette()
            try Interface.run(root: QuizScreen(library: library, saver: canSave ? ProgressSaver(store: store) : nil, progress: progress,
                                                  notice: notice, settings: settings), palette: palette, mouse: !interface.noMouse)
            return
        }
        let run = QuizRun(mode: settings.mode, bank: library.questions, filter: filter, count: settings.count,
                          seed: settings.seed, timeLimit: settings.timeLimit, progress: progress, now: Date())
        var plainQuiz = PlainQuiz(quiz: run, library: library, renderer: PlainRenderer(width: Output.width, color: Output.colorStdout))
        let result = plainQuiz.run(
            readLine: Output.readAnswer,
            write: Output.write,
            fail: { Output.error($0) },
            now: { Date() },
            save: { progress in
                guard canSave else { return }
                do { try store.save(progress) } catch { Output.error("statuslab: could not save progress to \(store.file.path): \(error.localizedDescription)") }
            })
        if let export {
            do {
                try plainQuiz.quiz.writeExport(to: export)
            } catch {
                Output.error("statuslab: could not write \(export): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        if case .inputEnded = result { throw ExitCode(1) }
        if case .finished(_, let total) = result, total == 0 { throw ExitCode(1) }
    }
}

/// `statuslab quiz summarize RESULTS.json…`: a room's exams, per question and per topic.
struct Summarize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summarize",
        abstract: "Put a room's exported exam results together: per question (hardest first) and per topic.",
        discussion: "Reads the files that `statuslab quiz --exam --export FILE` writes. A file that cannot be read is named with the reason and left out; the exit status is then 1."
    )

    @Argument(help: ArgumentHelp("Exported exam results (one exam a file, or a room's `room-exams.json`).", valueName: "results.json"))
    var files: [String]
    @Option(help: ArgumentHelp("text, or json for scripts and gradebooks.", valueName: "format")) var format = "text"

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one results file.") }
        if !["text", "json"].contains(format) { throw ValidationError("--format takes text or json, not `\(format)`.") }
    }

    func run() throws {
        var results: [ExamSummary.Result] = []
        var failed = false
        for file in files {
            do {
                results += try ExamSummary.read(try Data(contentsOf: URL(fileURLWithPath: file)))
            } catch let error as DecodingError {
                Output.error("statuslab: \(file): not exam results (\(StateFile<LabHistory>.reason(error))); left out")
                failed = true
            } catch {
                Output.error("statuslab: \(file): \(error.localizedDescription); left out")
                failed = true
            }
        }
        if !results.isEmpty {
            let summary = ExamSummary(results)
            if format == "json" { print(String(decoding: try summary.json(), as: UTF8.self)) } else { print(summary.text, terminator: "") }
        }
        if failed || results.isEmpty { throw ExitCode(1) }
    }
}
