import Foundation
import StatusLabCore

/// What the Lab writes: its history (kept across runs) and, on `w`, the log as JSON lines. Each
/// write is work for a `Command.save`, and says what went wrong, if anything, in a sentence.
struct LabFiles: Sendable {
    let history: StateFile<LabHistory>?
    /// False when the history file could not be read: it is left alone, never overwritten.
    private(set) var canSaveHistory = true
    /// Where `w` writes the log.
    var exportFolder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)

    init(history: StateFile<LabHistory>?) { self.history = history }

    /// The history as kept, and a sentence when the file could not be read (moved aside).
    mutating func load() -> (LabHistory, String?) {
        guard let history else { return (LabHistory(), nil) }
        let loaded = history.load()
        canSaveHistory = loaded.canSave
        return (loaded.value ?? LabHistory(), loaded.notice)
    }

    /// Saves `snapshot`; nil when there is nowhere to save it.
    func save(_ snapshot: LabHistory) -> (@Sendable () async -> String?)? {
        guard let history, canSaveHistory else { return nil }
        let ticket = history.ticket()
        return {
            do {
                try history.save(snapshot, ticket: ticket)
                return nil
            } catch {
                return "The Lab history could not be saved to \(history.file.path): \(error.localizedDescription)"
            }
        }
    }

    /// Writes `entries` as JSON lines (`statuslab judge` and `lab --open` read them) to a new
    /// file in the export folder, and says where.
    func export(_ entries: [LabLogEntry]) -> @Sendable () async -> String {
        let stamp = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
            .filter { $0.isNumber || $0 == "T" }
        let file = exportFolder.appendingPathComponent("statuslab-log-\(stamp).jsonl")
        return {
            let text = entries.map(ExchangeRecord.line).joined(separator: "\n") + "\n"
            do {
                try Data(text.utf8).write(to: file, options: .withoutOverwriting)
                return "Wrote \(entries.count) exchanges to \(file.lastPathComponent)"
            } catch {
                return "The log could not be written to \(file.path): \(error.localizedDescription)"
            }
        }
    }
}
