import Foundation
import StatusLabCore
import Synchronization

/// One request and its response, as the lab will show it.
public struct Exchange: Sendable {
    /// 1 for the first exchange of a log, and so on; given by `ExchangeLog.record`.
    public internal(set) var number = 0
    public let date: Date
    public let method: String
    public let target: String
    public let requestHeaders: [(name: String, value: String)]
    /// The first bytes of the request body.
    public let bodyPrefix: String
    public let status: Int
    /// The service's own header fields; the server sent Date and Content-Length after them.
    let serviceHeaders: [(name: String, value: String)]
    let dateField: String
    let contentLength: String?
    /// The content the response carried (none for HEAD, 1xx, 204 and 304), up to
    /// `ExchangeLog.contentLimit` bytes: usually the very array sent, shared, not a copy.
    public let content: [UInt8]
    /// The 1xx responses sent before the final one.
    public var interim: [InterimResponse] = []
    public let decision: String?
    public let duration: Duration

    /// The response's header fields, in the order sent.
    public var responseHeaders: [(name: String, value: String)] {
        serviceHeaders + [("Date", dateField)] + (contentLength.map { [("Content-Length", $0)] } ?? [])
    }

    /// `GET /api/notes/2 -> 404 (1.2 ms) exists=yes > …`: the serve command's log line.
    public var line: String {
        // Tenths of a millisecond, rounded, by integer arithmetic: `serve` formats thousands of
        // these a second under load, and String(format:) costs several times the whole line.
        let tenths = (duration.components.seconds * 10_000 + (duration.components.attoseconds + 50_000_000_000_000) / 100_000_000_000_000)
        let statuses = (interim.map(\.status) + [status]).map(String.init).joined(separator: ", ")
        return "\(method) \(target) -> \(statuses) (\(tenths / 10).\(tenths % 10) ms)" + (decision.map { "  \($0)" } ?? "")
    }
}

extension Exchange {
    /// The exchange as the Lab, the exercises and the room read it.
    public var labEntry: LabLogEntry {
        LabLogEntry(number: number, date: date, method: method, target: target,
                    status: status, interim: interim.map(\.status), decision: decision,
                    requestHeaders: requestHeaders.map { .init(name: $0.name, value: $0.value) },
                    responseHeaders: responseHeaders.map { .init(name: $0.name, value: $0.value) },
                    bodyPrefix: bodyPrefix, responseContent: content, duration: duration)
    }
}

/// The last `capacity` exchanges, read by number (`entries(after:)`, `follow`): readers look
/// now and then, and the server never waits for one.
public final class ExchangeLog: Sendable {
    public let capacity: Int
    /// A ring of at most `capacity` exchanges; `start` is where the oldest is.
    private let state = Mutex<(ring: [Exchange], start: Int, next: Int)>(([], 0, 1))

    public init(capacity: Int = 500) { self.capacity = max(capacity, 1) }

    /// The most content an exchange keeps: more than the demo world's own answers; an echo of
    /// a large request is cut.
    public static let contentLimit = 64 * 1024

    /// Oldest first.
    public var entries: [Exchange] {
        state.withLock { Array($0.ring[$0.start...] + $0.ring[..<$0.start]) }
    }

    /// The exchanges numbered after `number`, oldest first, and how many more there were that
    /// the ring no longer holds: for readers that look now and then rather than listen.
    public func entries(after number: Int) -> (entries: [Exchange], missed: Int) {
        state.withLock { state in
            let newest = state.next - 1
            guard newest > number else { return ([], 0) }
            let wanted = newest - number
            let count = state.ring.count, held = min(wanted, count)
            // Only the wanted ones are copied: the server's event loops wait while this runs.
            var entries: [Exchange] = []
            entries.reserveCapacity(held)
            for age in (count - held)..<count { entries.append(state.ring[(state.start + age) % count]) }
            return (entries, wanted - held)
        }
    }

    func record(_ exchange: Exchange) {
        var exchange = exchange
        state.withLock { state in
            exchange.number = state.next
            state.next += 1
            if state.ring.count < capacity {
                state.ring.append(exchange)
            } else {
                state.ring[state.start] = exchange
                state.start = (state.start + 1) % capacity
            }
        }
    }

    /// Hands over the exchanges that arrived since the last call, a batch every `interval`
    /// until the task is cancelled, and once more after that (so the last requests are not
    /// lost): how `serve` prints and records, and how `exercise watch` follows. The server
    /// does nothing per request for a reader, and a flood costs one batch a tenth of a second.
    /// Returns the number of the last exchange handed over.
    @discardableResult
    public func follow(after start: Int = 0, every interval: Duration = .milliseconds(100),
                       _ body: (_ exchanges: [Exchange], _ missed: Int) async -> Void) async -> Int {
        var newest = start
        func handOver() async {
            let (exchanges, missed) = entries(after: newest)
            guard let last = exchanges.last else { return }
            newest = last.number
            await body(exchanges, missed)
        }
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            await handOver()
        }
        await handOver()
        return newest
    }
}
