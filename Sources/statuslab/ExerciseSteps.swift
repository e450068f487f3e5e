import ArgumentParser
import StatusLabCore

extension ExerciseCommand {
    /// `--port`: where the learner's server listens, so that the texts' curl lines name it
    /// (`show`, `hint`, `next`).
    struct ServerPort: ParsableArguments {
        @Option(help: "The port your server listens on (`serve --port`, `exercise watch --port`): the texts' curl lines name it.")
        var port = 8401

        func validate() throws {
            guard (1...65535).contains(port) else { throw ValidationError("--port takes 1 to 65535, not \(port).") }
        }

        var base: String { "http://127.0.0.1:\(port)" }
    }

    /// `exercise hint N`: the next hint, one at a time, as rustlings gives them; the count is
    /// kept with the progress, so the next call gives the next hint.
    struct Hint: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hint", abstract: "The next hint for exercise N, one at a time (`show N` prints them all).")
        @Argument(help: "The exercise's number (see `exercise list`).") var number: Int
        @OptionGroup var server: ServerPort
        @OptionGroup var options: GlobalOptions

        func run() throws {
            let (library, store, progress) = try ExerciseCommand.load(options)
            let exercise = try ExerciseCommand.exercise(number, in: library).at(base: server.base)
            let shown = progress.hintsShown[exercise.id] ?? 0
            guard shown < exercise.hints.count else {
                print("No more hints: that was the last of \(exercise.hints.count). `statuslab exercise show \(number)` prints them all.")
                return
            }
            print("Hint \(shown + 1) of \(exercise.hints.count): " + exercise.hints[shown].plainText)
            var changed = progress
            changed.hintsShown[exercise.id] = shown + 1
            try ExerciseCommand.save(changed, to: store)
        }
    }

    /// `exercise next`: the first exercise not solved yet, and what is left after it.
    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "next", abstract: "The next exercise to solve, and what is left.")
        @OptionGroup var server: ServerPort
        @OptionGroup var options: GlobalOptions

        func run() throws {
            let (library, _, progress) = try ExerciseCommand.load(options)
            let open = library.exercises.filter { progress.solved[$0.id] == nil }
            guard let next = open.first else {
                print("Every exercise is solved (\(library.exercises.count) of \(library.exercises.count)). `statuslab exercise reset` starts again.")
                return
            }
            print("\(library.exercises.count - open.count) of \(library.exercises.count) solved.\n")
            print(ExerciseCommand.describe(next.at(base: server.base), in: library, solved: false, hints: false, port: server.port))
            let after = open.dropFirst()
            if !after.isEmpty {
                print("\nLeft after it (\(after.count)): " + after.map { ExerciseCommand.heading($0, in: library) }.joined(separator: " · "))
            }
        }
    }
}
