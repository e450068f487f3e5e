import ArgumentParser
import StatusLabContent
import StatusLabCore
import StatusLabTerminal
import StatusLabClient
import StatusLabTUI

struct StatusLab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statuslab",
        abstract: "Learn which HTTP status code a response should carry: 401, 403, 404, 400 or a redirect.",
        discussion: """
            With no command, opens the full-screen interface (a terminal is needed). \
            The plain commands below work anywhere, offline.
            """,
        version: "statuslab 0.1.0",
        subcommands: [Explain.self, Codes.self, Flow.self, Quiz.self, Serve.self, Lab.self, ExerciseCommand.self, RoomCommand.self, Check.self, Judge.self, ContentCommand.self]
    )

    @OptionGroup var options: GlobalOptions
    @OptionGroup var interface: InterfaceOptions
    @OptionGroup var joining: RoomJoinOptions

    func run() throws {
        try Self.openHome(contentDirectory: options.contentDirectory, palette: interface.palette(), mouse: !interface.noMouse,
                          room: joining.backend())
    }

    /// The full-screen interface on the home screen: what `statuslab` does. In a room, the Lab
    /// and the Exercises send to the learner's personal URL on the room's server.
    static func openHome(contentDirectory: String?, palette: Theme.Palette?, mouse: Bool, room: RoomLabBackend? = nil) throws {
        let library = try GlobalOptions.loadLibrary(from: contentDirectory)
        let store = ProgressStore(file: ProgressStore.standardFile())
        let saver = ProgressSaver(store: store)
        // The Lab's server is made when the Lab or the Exercises first open, so the home screen
        // does not wait for the diagrams. A content pack whose diagrams the server cannot answer
        // has no Lab: that is found out now. (The built-in diagrams are served in the tests.)
        let backend = LabOnDemand { try LabWiring.backend(library: library, port: 8401) }
        var lab: (@Sendable () -> LabScreen)? = nil
        var exercises: (@Sendable () -> ExercisesScreen)? = nil
        if let room {
            let makeLab: @Sendable () -> LabScreen = { LabScreen(backend: room, library: library, history: LabHistory.store()) }
            lab = makeLab
            if library.hasExercises {
                exercises = { ExercisesScreen(backend: room, library: library, store: ExerciseProgress.store(), lab: makeLab) }
            }
        } else if contentDirectory == nil || backend.madeWithoutError() {
            let makeLab: @Sendable () -> LabScreen = { LabScreen(backend: backend.value, library: library, history: LabHistory.store()) }
            lab = makeLab
            if library.hasExercises {
                exercises = { ExercisesScreen(backend: backend.value, library: library, store: ExerciseProgress.store(), lab: makeLab) }
            }
        }
        let quiz: @Sendable () -> QuizScreen = {
            // Opened again, the quiz starts from what this run last saved.
            if let latest = saver.latest { return QuizScreen(library: library, saver: saver, progress: latest) }
            let (progress, notice, canSave) = store.load()
            return QuizScreen(library: library, saver: canSave ? saver : nil, progress: progress, notice: notice)
        }
        try Interface.run(root: HomeScreen(library: library, quiz: quiz, lab: lab, exercises: exercises), lab: backend.made, palette: palette, mouse: mouse)
    }
}

/// The full-screen interface around a first screen.
enum Interface {
    /// The first screen's own work (the Lab's server) is its `start()`. A Lab's server (`lab`,
    /// asked for at the end: it may have been made meanwhile) is stopped when the interface
    /// ends, however it ends.
    static func run(root: any Screen, lab: @autoclosure () -> LiveLabBackend? = nil, palette: Theme.Palette? = nil, mouse: Bool = true,
                    atEnd: () -> Void = {}) throws {
        let terminal: NcursesTerminal
        do {
            terminal = try NcursesTerminal(allowColor: !Output.noColorRequested, mouse: mouse)
        } catch {
            Output.error(error.description)
            throw ExitCode(2)
        }
        var app = App(root: root, size: terminal.size, theme: Theme(color: terminal.color, unicode: terminal.unicode, palette: palette))
        Runner.run(&app, backend: terminal)
        terminal.stop()
        if let lab = lab() { LabWiring.stop(lab) }
        atEnd()
        // Ended by a signal: the terminal is restored; exit the way shells expect.
        if let signal = app.endingSignal { throw ExitCode(128 + signal) }
    }
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("content"), help: ArgumentHelp(
        "Use the content folder at <dir> (an instructor's pack) instead of the built-in one.",
        valueName: "dir"))
    var contentDirectory: String?

    /// The built-in content, or the folder given with --content, validated. Problems are
    /// printed as file:line: message and end the program.
    func loadLibrary() throws -> ContentLibrary { try Self.loadLibrary(from: contentDirectory) }

    static func loadLibrary(from contentDirectory: String?) throws -> ContentLibrary {
        let files = try ContentLoading.files(from: contentDirectory)
        do {
            // The built-in content passed `statuslab content check` when the binary was built; a
            // folder given with --content is checked in full.
            return try ContentLibrary.load(files, trusted: contentDirectory == nil)
        } catch {
            let where_ = contentDirectory ?? "the built-in content"
            Output.error("statuslab: \(where_) has \(error.diagnostics.count) problem(s):")
            for diagnostic in error.diagnostics {
                Output.error(contentDirectory.map { "\($0)/\(diagnostic)" } ?? diagnostic.description)
            }
            Output.error("Run `statuslab content check \(contentDirectory ?? "")` after fixing them.")
            throw ExitCode(1)
        }
    }
}

enum ContentLoading {
    static func files(from directory: String?) throws -> [ContentFile] {
        guard let directory else {
            return EmbeddedContent.files.map { ContentFile(path: $0.path, text: $0.text) }
        }
        do {
            return try ContentSource.files(inDirectory: directory)
        } catch {
            Output.error("statuslab: \(error)")
            throw ExitCode(1)
        }
    }
}
