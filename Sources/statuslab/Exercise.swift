import ArgumentParser
import Foundation
import StatusLabClient
import StatusLabCore
import StatusLabServer

/// `statuslab exercise list|show N|hint N|next|watch|reset [N]`: exercises solved by real requests to the
/// built-in server, in the manner of learnyounode.
struct ExerciseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Exercises solved by real requests to the built-in server: list, show, hint, next, watch, reset.",
        discussion: """
            Start `statuslab exercise watch` in one terminal and send requests from another (curl, \
            a browser, the Lab): each exercise is solved when the server's exchanges meet its goal. \
            Progress is kept in $XDG_STATE_HOME/statuslab/exercises.json (else ~/.local/state/statuslab/).
            """,
        subcommands: [List.self, Show.self, Hint.self, Next.self, Watch.self, Reset.self]
    )

    static func load(_ options: GlobalOptions) throws -> (ContentLibrary, StateFile<ExerciseProgress>, ExerciseProgress) {
        let library = try options.loadLibrary()
        guard !library.exercises.isEmpty else {
            Output.error("statuslab: the content has no exercises (content/exercises/).")
            throw ExitCode(1)
        }
        let store = ExerciseProgress.store()
        let loaded = store.load()
        if let notice = loaded.notice { Output.error("statuslab: \(notice)") }
        return (library, store, loaded.value ?? ExerciseProgress())
    }

    /// Exercise `number` (from 1), or a clear message and exit 1.
    static func exercise(_ number: Int, in library: ContentLibrary) throws -> Exercise {
        guard (1...library.exercises.count).contains(number) else {
            Output.error("statuslab: there is no exercise \(number): they are numbered 1 to \(library.exercises.count).")
            throw ExitCode(1)
        }
        return library.exercises[number - 1]
    }

    static func save(_ progress: ExerciseProgress, to store: StateFile<ExerciseProgress>) throws {
        do { try store.save(progress) } catch {
            Output.error("statuslab: could not write \(store.file.path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }

    static func heading(_ exercise: Exercise, in library: ContentLibrary) -> String {
        let number = (library.exercises.firstIndex { $0.id == exercise.id } ?? 0) + 1
        return "\(number). \(exercise.title)"
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "One line per exercise: `N. Title`, and [done] when solved.")
        @OptionGroup var options: GlobalOptions

        func run() throws {
            let (library, _, progress) = try ExerciseCommand.load(options)
            for exercise in library.exercises {
                print(ExerciseCommand.heading(exercise, in: library) + (progress.solved[exercise.id] != nil ? " [done]" : ""))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "An exercise's goal and hints (and its explanation once solved).")
        @Argument(help: "The exercise's number (see `exercise list`).") var number: Int
        @OptionGroup var server: ServerPort
        @OptionGroup var options: GlobalOptions

        func run() throws {
            let (library, _, progress) = try ExerciseCommand.load(options)
            let exercise = try ExerciseCommand.exercise(number, in: library)
            print(ExerciseCommand.describe(exercise.at(base: server.base), in: library, solved: progress.solved[exercise.id] != nil))
        }
    }

    /// The exercise as `show` prints it; `watch` leaves the hints to `show`, one run at a time.
    static func describe(_ exercise: Exercise, in library: ContentLibrary, solved: Bool, hints: Bool = true, port: Int = 8401) -> String {
        var lines = [heading(exercise, in: library) + (solved ? " [done]" : ""), "", "Goal: " + exercise.goal.plainText, ""]
        if hints {
            for (index, hint) in exercise.hints.enumerated() { lines.append("Hint \(index + 1): " + hint.plainText) }
        } else {
            let number = (library.exercises.firstIndex { $0.id == exercise.id } ?? 0) + 1
            lines.append("Stuck? `statuslab exercise hint \(number)\(port == 8401 ? "" : " --port \(port)")` gives one hint at a time, gentlest first (\(exercise.hints.count) in all).")
        }
        if solved { lines += ["", "Why: " + exercise.explanation.plainText, "Spec: " + exercise.specs.joined(separator: "; ")] }
        return lines.joined(separator: "\n")
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset", abstract: "Forget which exercises are solved (all, or exercise N), and the hints shown.")
        @Argument(help: "One exercise to open again; without it, all of them.") var number: Int?
        @OptionGroup var options: GlobalOptions

        func run() throws {
            let (library, store, progress) = try ExerciseCommand.load(options)
            guard let number else {
                try ExerciseCommand.save(ExerciseProgress(), to: store)
                print("Progress reset: every exercise is open again.")
                return
            }
            let exercise = try ExerciseCommand.exercise(number, in: library)
            var changed = progress
            changed.reset(exercise.id)
            try ExerciseCommand.save(changed, to: store)
            print("\(ExerciseCommand.heading(exercise, in: library)) is open again; the others are as they were.")
        }
    }

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Start the built-in server, show the current exercise, and say when requests solve it.",
            discussion: "Prints `solved N/M: Title` as each exercise is solved, by any client, then the next. Ctrl-C stops.")
        @OptionGroup var listening: PortOption
        @OptionGroup var joining: RoomJoinOptions
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let (library, store, progress) = try ExerciseCommand.load(options)
            if let client = joining.client {
                try await watchRoom(client, library: library, store: store, progress: progress)
                return
            }
            let diagrams: ServerDiagrams
            do { diagrams = try ServerWiring.diagrams(library) } catch {
                Output.error("statuslab: \(error).")
                throw ExitCode(1)
            }
            // Signals are watched before anything is printed, so a Ctrl-C right after is not lost.
            let stop = StopSignal()
            let port = listening.port
            let server = ServerWiring.server(diagrams, port: port)
            let bound: Int
            do { bound = try await server.start() } catch {
                Output.error("statuslab: \(error). Pick another with --port (0 picks a free one).")
                throw ExitCode(1)
            }
            let start = ExerciseTracker(exercises: library.exercises, progress: progress)
            print("Built-in server on http://127.0.0.1:\(bound)/ — send requests from another terminal. Ctrl-C stops.\n")
            let base = "http://127.0.0.1:\(bound)"
            let announce = Announcer(library: library, store: store, base: base, port: bound)
            announce.current(start)
            let following = Task {
                var tracker = start
                await server.log.follow { exchanges, _ in
                    announce.solved(tracker.observe(exchanges.map(LiveLabBackend.entry)), tracker: tracker)
                }
            }
            stop.whenRaised { following.cancel() }
            await following.value
            await server.stop()
            withExtendedLifetime(stop) {}  // its signal sources live until here
        }
    }
}

extension ExerciseCommand.Watch {
    /// `watch --room`: no server of its own; the learner's exchanges come from the room's feed
    /// (their personal base URL's), with the instructor's messages.
    func watchRoom(_ client: RoomClient, library: ContentLibrary, store: StateFile<ExerciseProgress>, progress: ExerciseProgress) async throws {
        let stop = StopSignal()
        let membership: RoomMembership
        do { membership = try await client.membership(name: joining.name ?? "", code: joining.code ?? "", store: RoomMembership.store()) } catch {
            Output.error("statuslab: \(error).")
            throw ExitCode(1)
        }
        print("In the room at \(client.room) as \(membership.name). Your base URL: \(membership.base)")
        print("Send every request under it (curl, a browser, the Lab): it counts for you. Ctrl-C stops watching.\n")
        let announce = Announcer(library: library, store: store, base: membership.base, port: nil)
        let start = ExerciseTracker(exercises: library.exercises, progress: progress)
        announce.current(start)
        let following = Task {
            var tracker = start
            var after = 0, run = "", lastMessage = 0, unreachable = false
            while !Task.isCancelled {
                do {
                    let feed = try await client.feed(membership, after: after)
                    if unreachable { Output.error("statuslab: the room answers again.") }
                    unreachable = false
                    if feed.run != run { (run, after) = (feed.run, 0) }
                    let fresh = feed.exchanges.filter { $0.number > after }
                    after = fresh.last?.number ?? after
                    for message in feed.messages where message.id > lastMessage {
                        print("Message from the instructor\(message.to == "you" ? ", to you" : ""): \(message.text)\n")
                        lastMessage = message.id
                    }
                    announce.solved(tracker.observe(fresh.map(\.entry)), tracker: tracker)
                } catch RoomClient.Failure.unknownLearner {
                    Output.error("statuslab: \(RoomClient.Failure.unknownLearner).")
                    return
                } catch {
                    if !unreachable { Output.error("statuslab: \(error); trying again every second.") }
                    unreachable = true
                }
                fflush(nil)
                try? await Task.sleep(for: .seconds(1))
            }
        }
        stop.whenRaised { following.cancel() }
        await following.value
        withExtendedLifetime(stop) {}
    }
}

/// What `exercise watch` prints: the exercise to solve, and each solve as it happens (saved).
struct Announcer: Sendable {
    let library: ContentLibrary
    let store: StateFile<ExerciseProgress>
    let base: String
    /// The local server's port, for the hint line; nil in a room.
    let port: Int?

    func current(_ tracker: ExerciseTracker) {
        if let current = tracker.current {
            print(ExerciseCommand.describe(current.at(base: base), in: library, solved: false, hints: false, port: port ?? 8401) + "\n")
        }
        else { print("Every exercise is solved; `statuslab exercise reset` starts again.") }
        fflush(nil)
    }

    func solved(_ solved: [Exercise], tracker: ExerciseTracker) {
        guard !solved.isEmpty else { return }
        for (index, exercise) in solved.enumerated() {
            print("solved \(tracker.solvedCount - solved.count + index + 1)/\(library.exercises.count): \(exercise.title)")
            print("  " + exercise.at(base: base).explanation.plainText + "\n")
        }
        do { try store.save(tracker.progress) } catch { Output.error("statuslab: could not save progress: \(error.localizedDescription)") }
        if let next = tracker.current {
            print("Next: " + ExerciseCommand.describe(next.at(base: base), in: library, solved: false, hints: false, port: port ?? 8401) + "\n")
        }
        else { print("Every exercise is solved. Well done.") }
        fflush(nil)
    }
}
