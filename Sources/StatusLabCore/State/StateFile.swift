import Foundation
import Synchronization

/// A JSON file of StatusLab's own state (quiz progress, the Lab's history) in
/// `$XDG_STATE_HOME/statuslab/` (else `~/.local/state/statuslab/`). Writes are atomic; a file
/// that cannot be read is moved aside with a message, never overwritten.
public struct StateFile<Value: Codable & Sendable>: Sendable {
    public let file: URL
    /// What the file holds, for messages: "progress file", "Lab history".
    public let what: String
    /// Checks a decoded value (a version number, say); throws to treat the file as unreadable.
    let validate: @Sendable (Value) throws -> Void
    /// Shared by every copy of this file value: the snapshots' order (`ticket`).
    private let order = SnapshotOrder()
    /// Readable by its owner alone: for a file that holds secrets (a room's learner keys).
    let ownerOnly: Bool

    public init(file: URL, what: String, ownerOnly: Bool = false, validate: @escaping @Sendable (Value) throws -> Void = { _ in }) {
        self.file = file
        self.what = what
        self.ownerOnly = ownerOnly
        self.validate = validate
    }

    /// `name` in the state folder.
    public static func standardFile(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base: URL
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            base = URL(fileURLWithPath: state)
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            base = URL(fileURLWithPath: home).appendingPathComponent(".local/state")
        }
        return base.appendingPathComponent("statuslab").appendingPathComponent(name)
    }

    public struct Loaded: Sendable {
        /// Nil when there was no file, or none that could be read.
        public var value: Value?
        /// What happened to a file that could not be read.
        public var notice: String?
        /// False while such a file is still in the way (it is never overwritten).
        public var canSave: Bool
    }

    public func load(now: Date = Date()) -> Loaded {
        guard FileManager.default.fileExists(atPath: file.path) else { return Loaded(value: nil, notice: nil, canSave: true) }
        do {
            // A file that exists but cannot be read takes the same path as a corrupt one.
            let data = try Data(contentsOf: file)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let value = try decoder.decode(Value.self, from: data)
            try validate(value)
            return Loaded(value: value, notice: nil, canSave: true)
        } catch {
            let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "")
            let base = file.deletingPathExtension().lastPathComponent
            let aside = file.deletingLastPathComponent().appendingPathComponent("\(base).corrupt-\(stamp).\(file.pathExtension)")
            let capitalised = what.prefix(1).uppercased() + what.dropFirst()
            do {
                try FileManager.default.moveItem(at: file, to: aside)
                return Loaded(value: nil, notice: "Your \(what) could not be read (\(Self.reason(error))), so it was kept as \(aside.path) and a new one was started.", canSave: true)
            } catch {
                return Loaded(value: nil, notice: "\(capitalised) \(file.path) could not be read and could not be moved aside (\(error.localizedDescription)); it is left as it is and nothing will be saved over it.", canSave: false)
            }
        }
    }

    public static func reason(_ error: Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .dataCorrupted(let context): return context.debugDescription
            case .keyNotFound(let key, _): return "no `\(key.stringValue)`"
            case .typeMismatch(_, let context), .valueNotFound(_, let context): return context.debugDescription
            @unknown default: return "unreadable"
            }
        }
        return error.localizedDescription
    }

    /// A snapshot's place in line, taken when the value is: saves run as background work and
    /// may finish in any order, and `save(_:ticket:)` never lets an older one land last.
    public func ticket() -> Int { order.next() }

    /// Saves `value` unless a snapshot with a later ticket was saved already (then false: it is
    /// dropped, the file has newer).
    @discardableResult
    public func save(_ value: Value, ticket: Int) throws -> Bool {
        try order.write(ticket) { try save(value) }
    }

    /// Writes to a temporary file beside the real one, then renames it over: a crash leaves
    /// the old file or the new one, never half of one.
    public func save(_ value: Value) throws {
        let folder = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(value)
        let temporary = folder.appendingPathComponent(".\(file.lastPathComponent)-\(UUID().uuidString).tmp")
        try data.write(to: temporary)
        if ownerOnly { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary.path) }
        if rename(temporary.path, file.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(code))])
        }
    }
}

/// Numbered snapshots of one file, written in number order: a write older than the last one
/// done is skipped. The write happens inside the lock, so two never interleave.
final class SnapshotOrder: Sendable {
    private let state = Mutex<(issued: Int, written: Int)>((0, 0))

    func next() -> Int {
        state.withLock { state in
            state.issued += 1
            return state.issued
        }
    }

    func write(_ ticket: Int, _ body: () throws -> Void) throws -> Bool {
        try state.withLock { state in
            guard ticket > state.written else { return false }
            try body()
            state.written = ticket
            return true
        }
    }
}
