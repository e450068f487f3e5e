import Foundation
import StatusLabCore
import Synchronization
import Testing
@testable import StatusLabServer

/// 10,000 random and mutated requests, each on a connection of its own, from a fixed seed (so a
/// failure can be replayed): every connection must get well-framed HTTP/1.1 responses or a
/// clean close, never a reset or silence; the server must still answer afterwards; and its
/// memory must not grow with the number of requests.
@Suite(.serialized) struct FuzzTests {
    static let seed: UInt64 = 0x5EED_5747_05

    /// Requests a learner or a client might send, to start mutating from.
    static let templates: [String] = [
        "GET /api/profile HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /api/notes/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWxpY2U6d29uZGVybGFuZA==\r\n\r\n",
        "DELETE /api/notes/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer alice-read-token\r\n\r\n",
        "POST /app/login?next=/app/notes HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 30\r\n\r\nuser=bob&password=builder&x=12",
        "GET /app/notes HTTP/1.1\r\nHost: x\r\nCookie: statuslab_session=abc\r\n\r\n",
        "GET /digest-auth/auth/alice/wonderland/SHA-256 HTTP/1.1\r\nHost: x\r\nAuthorization: Digest username=\"alice\", realm=\"statuslab\", nonce=\"1:x\", uri=\"/\", response=\"0\", qop=auth, nc=00000001, cnonce=\"c\"\r\n\r\n",
        "HEAD /status/204 HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /anything HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "PUT /status/418 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nabcd",
        "GET /hidden-basic-auth/a/b?hide=on&login=401 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "GET /api/public HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ]

    static let pieces: [String] = ["\r\n", "\n", "\r", " ", ":", "\0", "%", "%zz", "\u{7f}", "é", "HTTP/9.9", "Content-Length: 99999999999999999999\r\n",
                                   "Transfer-Encoding: chunked\r\n", "Host: a\r\n", "Connection: close\r\n", "Expect: 100-continue\r\n",
                                   "Authorization: Bearer \r\n", String(repeating: "A", count: 300), "\t", "/../", "?", "#"]

    /// One request: a template mutated a few times, or, now and then, bytes at random.
    static func request(_ random: inout SeededGenerator) -> [UInt8] {
        if Int.random(in: 0..<20, using: &random) == 0 {
            return (0..<Int.random(in: 1..<200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
        var bytes = Array(templates.randomElement(using: &random)!.utf8)
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            let at = Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: if at < bytes.count { bytes[at] = UInt8.random(in: 0...255, using: &random) }
            case 1: bytes.insert(contentsOf: Array(pieces.randomElement(using: &random)!.utf8), at: at)
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &random)))
            case 3: bytes = Array(bytes.prefix(at))
            default: bytes += bytes.prefix(at)
            }
        }
        return bytes
    }

    static func residentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    @Test func tenThousandMutatedRequestsLeaveTheServerWhole() async throws {
        try await withLiveServer { port, _ in
            var random = SeededGenerator(seed: Self.seed)
            let requests = (0..<10_000).map { _ in Self.request(&random) }
            let tally = Tally()
            var resident: [Int] = []
            // Four clients at a time, in two halves, measuring memory after each.
            for half in [0..<5_000, 5_000..<10_000] {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for lane in 0..<4 {
                        group.addTask {
                            try await blocking {
                                for index in stride(from: half.lowerBound + lane, to: half.upperBound, by: 4) {
                                    let socket = try RawSocket(port: port, timeout: 15)
                                    socket.send(requests[index])
                                    socket.shutdownWrite()
                                    let (bytes, end) = socket.read()
                                    socket.close()
                                    let heads = String(decoding: requests[index], as: UTF8.self).hasPrefix("HEAD") ? [Bool](repeating: true, count: 8) : []
                                    do {
                                        let responses = try ParsedResponse.all(bytes, heads: heads)
                                        if !responses.isEmpty { tally.answered.add(1, ordering: .relaxed) }
                                        if end != .closed { throw ParsedResponse.Problem.malformed("the connection ended by \(end)") }
                                    } catch {
                                        let sent = String(decoding: requests[index], as: UTF8.self).debugDescription.prefix(200)
                                        tally.failures.withLock { $0.append("#\(index) \(sent): \(error)") }
                                    }
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                resident.append(Self.residentBytes())
            }
            let found = tally.failures.withLock { $0 }
            let failed = found.count
            #expect(failed == 0, "\(failed) of 10000 failed (seed \(Self.seed)): \(found.prefix(5).joined(separator: "\n"))")
            #expect(tally.answered.load(ordering: .relaxed) > 5_000, "most mutated requests still get an answer")
            #expect(resident[1] - resident[0] < 24 * 1024 * 1024, "memory after 5,000 more requests: \(resident)")
            // And the server still answers as it should.
            let (responses, _, _) = try await exchange(port, "GET /api/profile HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(responses.map(\.status) == [401])
        }
    }
}


/// What the fuzz clients found, shared between them.
final class Tally: Sendable {
    let failures = Mutex<[String]>([])
    let answered = Atomic<Int>(0)
}
