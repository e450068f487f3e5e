import Foundation
import StatusLabCore
import Synchronization

/// One per program: saves progress snapshots in order (one older than the last one written is
/// dropped, so saves that finish out of order never go back in time) and remembers the newest,
/// so a quiz opened again starts from it even before it reaches the disk. It numbers the
/// snapshots itself, so the order holds across every quiz screen the program opens.
public final class ProgressSaver: Sendable {
    let store: ProgressStore
    private let state = Mutex<(issued: Int, written: Int, latest: QuizProgress?)>((0, 0, nil))

    public init(store: ProgressStore) { self.store = store }

    /// The newest progress handed to `save`, if any.
    public var latest: QuizProgress? { state.withLock { $0.latest } }

    /// The version for the snapshot taken now; `save` writes it later.
    func nextVersion() -> Int {
        state.withLock { state in
            state.issued += 1
            return state.issued
        }
    }

    func save(_ progress: QuizProgress, version: Int) -> String? {
        state.withLock { state -> String? in
            guard version > state.written else { return nil }
            state.written = version
            state.latest = progress
            do {
                try store.save(progress)
                return nil
            } catch {
                return "Progress could not be saved to \(store.file.path): \(error.localizedDescription)"
            }
        }
    }
}

/// What the quiz's background work (saving, exporting) reports back.
public struct QuizMessage: Sendable {
    let text: String?
}

/// Saving and exporting are I/O: they run as effects, outside the screen's update.
extension QuizScreen {
    /// The progress as it is now, saved; reports back only when that fails.
    func saveCommand() -> Command {
        guard let saver else { return .none }
        let snapshot = progress, version = saver.nextVersion()
        return saving { QuizMessage(text: saver.save(snapshot, version: version)) }
    }

    /// An exam's results, written to the file `--export` names; reports where, or why not.
    func exportCommand(_ run: QuizRun) -> Command {
        guard run.mode == .exam, let path = settings.exportPath else { return .none }
        let settings = self.settings
        return saving {
            do {
                try run.writeExport(to: path)
                if let room = settings.handInTo { return QuizMessage(text: "Your exam is ready: quit (q, then q) to hand it in to the room at \(room).") }
                return QuizMessage(text: "Results written to \(path).")
            } catch {
                return QuizMessage(text: "Could not write \(path): \(error.localizedDescription)")
            }
        }
    }
}
