import Foundation
import Synchronization

/// Appends exchanges to a file as JSON lines (`serve --record`), a batch a write.
public final class TrafficRecorder: Sendable {
    private let file: Mutex<(handle: FileHandle, count: Int)>

    /// Creates (or empties) the file at `path`.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        try Data().write(to: url)
        file = Mutex((try FileHandle(forWritingTo: url), 0))
    }

    public var count: Int { file.withLock { $0.count } }

    public func write(_ entries: [LabLogEntry]) {
        guard !entries.isEmpty else { return }
        let text = entries.map(ExchangeRecord.line).joined(separator: "\n") + "\n"
        file.withLock { file in
            file.handle.write(Data(text.utf8))
            file.count += entries.count
        }
    }

    deinit { file.withLock { try? $0.handle.close() } }
}
