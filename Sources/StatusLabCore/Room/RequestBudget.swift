import Foundation

/// Requests allowed per caller: a token bucket each (`rate` a second, up to `burst` at once),
/// so that a flood from one learner is refused for that learner alone.
public struct RequestBudget: Sendable {
    public let rate: Double
    public let burst: Double
    private var buckets: [String: (tokens: Double, at: Double)] = [:]
    /// Callers with a full bucket are forgotten past this many, so the table stays small.
    static let tidyAt = 4096

    public init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
    }

    /// Takes one request from `caller`'s budget at time `now` (seconds): nil when allowed, else
    /// the whole seconds to wait.
    public mutating func take(_ caller: String, now: Double) -> Int? {
        var bucket = buckets[caller] ?? (burst, now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.at) * rate)
        bucket.at = now
        defer {
            buckets[caller] = bucket
            if buckets.count > Self.tidyAt { buckets = buckets.filter { $0.value.tokens + (now - $0.value.at) * rate < burst } }
        }
        guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))) }
        bucket.tokens -= 1
        return nil
    }
}
