import ArgumentParser
import Foundation
import StatusLabCore
import StatusLabServer
import StatusLabTUI

/// `statuslab room`: a workshop's room. The built-in server for everyone, learners' requests
/// counted under their personal base URLs, and the instructor's Room screen.
struct RoomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "room",
        abstract: "Run a workshop room: the built-in server for everyone and a live view of every learner's progress.",
        discussion: """
            Learners join with the join code the room shows: `statuslab exercise watch --room URL --name NAME --code CODE`, \
            the interface with the same options, or curl alone (the room's page at /room says how). The room is saved in \
            $XDG_STATE_HOME/statuslab/room.json (else ~/.local/state/statuslab/) as it changes; starting it again resumes it. \
            `statuslab room open --help` lists the options.
            """,
        subcommands: [Open.self, Export.self],
        defaultSubcommand: Open.self
    )

    static func store(_ path: String?) -> StateFile<RoomRecord> {
        StateFile(file: path.map { URL(fileURLWithPath: $0) } ?? StateFile<RoomRecord>.standardFile("room.json"), what: "room file", ownerOnly: true) { record in
            guard record.version == RoomRecord.version else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown version \(record.version)"))
            }
        }
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "open",
            abstract: "Open the room (what `statuslab room` does): the server, and the Room screen or, with --plain, a line per event.")

        @Option(help: "The address to listen on. Loopback by default; 0.0.0.0 lets the room's network in (what that exposes is printed).")
        var host = "127.0.0.1"
        @OptionGroup var listening: PortOption
        @Option(help: "The room's title, on its page and the instructor's screen (default: the saved room's, or \"StatusLab workshop\").")
        var title: String?
        @Option(help: ArgumentHelp("Keep the room in this file instead.", valueName: "file")) var state: String?
        @Flag(name: .customLong("new"), help: "Start a new room: the saved one is kept beside it, named with its date.") var fresh = false
        @Option(name: .customLong("stuck-minutes"), help: "A learner still sending requests is stuck after this many minutes without a solve.")
        var stuckMinutes = 10.0
        @Option(name: .customLong("stuck-tries"), help: "A learner is stuck after this many refused tries at the same exercise.")
        var stuckTries = 5
        @Flag(help: "No full screen: print the join code and a line per event (joined, solved, stuck, exam handed in).") var plain = false
        @OptionGroup var options: GlobalOptions
        @OptionGroup var interface: InterfaceOptions

        func validate() throws {
            if stuckMinutes <= 0 { throw ValidationError("--stuck-minutes must be a positive number.") }
            if stuckTries < 1 { throw ValidationError("--stuck-tries must be at least 1.") }
            if let title, LearnerName.sanitized(title, maxLength: 60) == nil { throw ValidationError("--title needs something printable.") }
        }

        func run() async throws {
            let library = try options.loadLibrary()
            let diagrams: ServerDiagrams
            do { diagrams = try ServerWiring.diagrams(library) } catch {
                Output.error("statuslab: \(error).")
                throw ExitCode(1)
            }
            let store = RoomCommand.store(state)
            let lock = try RoomCommand.lock(store.file)
            defer { withExtendedLifetime(lock) {} }
            let record = try openRecord(store)
            let rules = RoomReport.StuckRules(minutes: stuckMinutes, refusedTries: stuckTries)
            if plain {
                try await runPlain(record: record, library: library, diagrams: diagrams, store: store, rules: rules)
                return
            }
            let palette = try interface.palette()
            let room = LiveRoom(record: record, exercises: library.exercises, diagrams: diagrams, host: host, port: listening.port, store: store)
            // Started before the screen: a port in use is said here, where it can be read.
            switch await room.start() {
            case .running(_, let exposure?): Output.error("statuslab: warning: " + exposure)
            case .failed(let why):
                Output.error("statuslab: \(why). Pick another with --port (0 picks a free one).")
                throw ExitCode(1)
            default: break
            }
            let screen = RoomScreen(backend: room, library: library, record: record, rules: rules,
                                    exportFolder: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            try Interface.run(root: screen, palette: palette, mouse: !interface.noMouse, atEnd: {
                RoomCommand.stop(room)
                Output.error("statuslab: the room is saved in \(store.file.path); `statuslab room` resumes it.")
            })
        }

        /// The saved room (its title replaced if asked), or a new one.
        func openRecord(_ store: StateFile<RoomRecord>) throws -> RoomRecord {
            let title = self.title.flatMap { LearnerName.sanitized($0, maxLength: 60) }
            if fresh, FileManager.default.fileExists(atPath: store.file.path) {
                let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withFullDate, .withTime])
                let aside = store.file.deletingPathExtension().appendingPathExtension("\(stamp).json")
                do { try FileManager.default.moveItem(at: store.file, to: aside) } catch {
                    Output.error("statuslab: could not move the old room aside to \(aside.path): \(error.localizedDescription)")
                    throw ExitCode(1)
                }
                Output.error("statuslab: the old room is kept in \(aside.path)")
            }
            let loaded = store.load()
            if let notice = loaded.notice { Output.error("statuslab: \(notice)") }
            guard loaded.canSave else {
                Output.error("statuslab: \(store.file.path) cannot be written; pick another with --state.")
                throw ExitCode(1)
            }
            var record = loaded.value ?? RoomRecord(title: title ?? "StatusLab workshop")
            if let title { record.title = title }
            do { try store.save(record) } catch {
                Output.error("statuslab: could not write \(store.file.path): \(error.localizedDescription)")
                throw ExitCode(1)
            }
            return record
        }

        func runPlain(record: RoomRecord, library: ContentLibrary, diagrams: ServerDiagrams, store: StateFile<RoomRecord>,
                      rules: RoomReport.StuckRules) async throws {
            let stop = StopSignal()
            let room = LiveRoom(record: record, exercises: library.exercises, diagrams: diagrams, host: host, port: listening.port, store: store) { event in
                switch event {
                case .joined(let name): Output.write("joined: \(name)\n")
                case .solved(let name, let exercise, let count): Output.write("solved: \(name): \(exercise) (\(count) of \(library.exercises.count))\n")
                case .handedIn(let name, let score, let total): Output.write("exam: \(name): \(score)/\(total)\n")
                case .saveFailed(let why): Output.error("statuslab: \(why)")
                }
            }
            switch await room.start() {
            case .running(let url, let exposure):
                if let exposure { Output.error("statuslab: warning: " + exposure) }
                Output.write("Room \(record.title) on \(url)  join code \(record.joinCode)\n  Learners: curl \(url) says how to join. Ctrl-C stops the room (it is saved in \(store.file.path)).\n")
            case .failed(let why):
                Output.error("statuslab: \(why). Pick another port with --port (0 picks a free one).")
                throw ExitCode(1)
            case .starting, .stopped: throw ExitCode(1)
            }
            // Who is stuck, said once each time it starts.
            let watching = Task {
                var said: Set<String> = []
                while !Task.isCancelled {
                    if let (record, _) = room.record(after: 0) {
                        let report = RoomReport(record: record, exercises: library.exercises, rules: rules)
                        let stuck = report.rows(by: .name).filter { $0.stuck != nil }
                        for row in stuck where !said.contains(row.key) { Output.write("stuck: \(row.name): \(row.stuck ?? "")\n") }
                        said = Set(stuck.map(\.key))
                    }
                    try? await Task.sleep(for: .seconds(5))
                }
            }
            await withCheckedContinuation { continuation in stop.whenRaised { continuation.resume() } }
            watching.cancel()
            await room.stop()
            withExtendedLifetime(stop) {}
        }
    }

    /// The room's file, held for this process: two rooms saving to one file would each
    /// overwrite the other's learners.
    final class FileLock: Sendable {
        let descriptor: Int32
        init(descriptor: Int32) { self.descriptor = descriptor }
        deinit { close(descriptor) }
    }

    static func lock(_ file: URL) throws -> FileLock {
        let path = file.path + ".lock"
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            Output.error("statuslab: cannot open \(path): \(String(cString: strerror(errno))); pick another room file with --state.")
            throw ExitCode(1)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            Output.error("statuslab: another room is open on \(file.path); stop it first, or give this room its own file with --state.")
            throw ExitCode(1)
        }
        return FileLock(descriptor: descriptor)
    }

    /// Stops the room's server (a second at most), from outside async code.
    static func stop(_ room: LiveRoom) { Sync.wait(upTo: 1) { await room.stop() } }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write a room's gradebook (CSV, a row per learner), its exams (JSON, for `quiz summarize`) and their summary (JSON).")
        @Option(help: ArgumentHelp("The room's file (default: the saved room).", valueName: "file")) var state: String?
        @Option(help: ArgumentHelp("Where the gradebook goes.", valueName: "file")) var csv = "room-grades.csv"
        @Option(help: ArgumentHelp("Where the exams go (what `quiz summarize` reads).", valueName: "file")) var exams = "room-exams.json"
        @Option(help: ArgumentHelp("Where their summary goes (what `quiz summarize --format json` prints).", valueName: "file"))
        var summary = "room-summary.json"
        @OptionGroup var options: GlobalOptions

        func run() throws {
            let library = try options.loadLibrary()
            let store = RoomCommand.store(state)
            guard FileManager.default.fileExists(atPath: store.file.path) else {
                Output.error("statuslab: there is no room at \(store.file.path) (`statuslab room` opens one; --state names another file).")
                throw ExitCode(1)
            }
            let loaded = store.load()
            guard let record = loaded.value else {
                Output.error("statuslab: \(loaded.notice ?? "\(store.file.path) is not a room")")
                throw ExitCode(1)
            }
            let report = RoomReport(record: record, exercises: library.exercises, questions: library.questions)
            do {
                try report.export(csv: URL(fileURLWithPath: csv), exams: URL(fileURLWithPath: exams), summary: URL(fileURLWithPath: summary))
            } catch {
                Output.error("statuslab: could not write the export: \(error.localizedDescription)")
                throw ExitCode(1)
            }
            let handedIn = record.learners.values.filter { $0.exam != nil }.count
            print("\(csv): \(record.learners.count) learners · \(exams): \(handedIn) exams (`statuslab quiz summarize \(exams)`) · \(summary)")
        }
    }
}
