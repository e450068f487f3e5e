import Foundation
import Synchronization

/// A pipe's output, read as it comes by a thread of its own (blocking reads, never the
/// cooperative pool's threads): waiting for a line never blocks the test's thread, so its
/// deadline can fire, and a chatty program never waits for a reader. (FileHandle's
/// readabilityHandler was tried first: libdispatch crashed under it in full test runs.)
final class PipeReader: Sendable {
    private let text = Mutex("")
    private let changes: AsyncStream<Void>
    private let changed: AsyncStream<Void>.Continuation

    init(_ pipe: Pipe) {
        (changes, changed) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                text.withLock { $0 += String(decoding: chunk, as: UTF8.self) }
                changed.yield()
            }
            changed.finish()
        }
    }

    /// Everything read so far.
    var current: String { text.withLock { $0 } }

    /// Waits until the output holds `needle`, the pipe ends or `seconds` pass; the text so far.
    @discardableResult
    func wait(for needle: String, within seconds: Double = 20) async -> String {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let timer = Task { [changed] in
            try? await Task.sleep(until: deadline)
            changed.yield()
        }
        defer { timer.cancel() }
        var iterator = changes.makeAsyncIterator()
        while !current.contains(needle), ContinuousClock.now < deadline {
            guard await iterator.next() != nil else { break }
        }
        return current
    }
}
