import Foundation
import StatusLabContent
import StatusLabCore
import StatusLabServer
import Testing
import TestSupport
@testable import StatusLabClient
#if canImport(Glibc)
import Glibc
#endif

let library: ContentLibrary = {
    do { return try ContentLibrary.load(EmbeddedContent.files.map { ContentFile(path: $0.path, text: $0.text) }) }
    catch { fatalError("\(error)") }
}()

/// A listener on a free loopback port that answers one connection with `reply` (after reading
/// the request head), then closes or, with `hold`, keeps it open: a server that misbehaves.
final class OneShotServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32

    init(reply: [UInt8], hold: Bool = false) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 1) == 0 else { throw POSIXError(.EADDRINUSE) }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.fd = fd
        Thread {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = recv(client, &buffer, buffer.count, 0)
            var sent = 0
            while sent < reply.count {
                let n = reply[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }
                sent += n
            }
            if hold { Thread.sleep(forTimeInterval: 3) }
            close(client)
        }.start()
    }

    deinit { close(fd) }
}

@Suite(.serialized) struct LabClientTests {
    let base = "http://127.0.0.1"

    func send(_ reply: String, hold: Bool = false, client: LabClient = LabClient()) async throws -> WireExchange {
        try await send(Array(reply.utf8), hold: hold, client: client)
    }

    func send(_ reply: [UInt8], hold: Bool = false, client: LabClient = LabClient()) async throws -> WireExchange {
        let server = try OneShotServer(reply: reply, hold: hold)
        let result = await client.send(LabRequest(url: "\(base):\(server.port)/x"), base: nil)
        return try #require(result.final)
    }

    @Test func theWireIsRecordedAsItWent() async throws {
        let exchange = try await send("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 2\r\n\r\nno")
        #expect(String(decoding: exchange.sent, as: UTF8.self).hasPrefix("GET /x HTTP/1.1\r\nHost: 127.0.0.1:"))
        #expect(String(decoding: exchange.received, as: UTF8.self).hasSuffix("\r\n\r\nno"))
        #expect(exchange.response?.status == 401)
        #expect(exchange.response?.header("WWW-Authenticate") == #"Basic realm="x""#)
        #expect(exchange.failure == nil)
    }

    @Test func aRefusedConnectionIsSaidPlainly() async throws {
        // Port 1 (tcpmux) listens nowhere these days.
        let nothing = await LabClient().send(LabRequest(url: "\(base):1/x"), base: nil)
        #expect(nothing.final?.failure == "connection refused: nothing listens on 127.0.0.1:1")
    }

    @Test func garbageIsNotHTTP() async throws {
        let exchange = try await send("SSH-2.0-OpenSSH_9.2\r\n\r\n")
        #expect(exchange.failure?.contains("not well-formed HTTP/1.1") == true, "\(String(describing: exchange.failure))")
        #expect(String(decoding: exchange.received, as: UTF8.self).hasPrefix("SSH-2.0"), "what came is still shown")
    }

    @Test func aResponseCutShortIsSaid() async throws {
        let exchange = try await send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")
        #expect(exchange.failure == "the server closed the connection in the middle of the response")
        #expect(exchange.response?.status == 200)
    }

    @Test func aSilentServerTimesOut() async throws {
        var client = LabClient()
        client.timeout = .milliseconds(300)
        let exchange = try await send("HTTP/1.1 200 OK\r\n", hold: true, client: client)
        #expect(exchange.failure == "no complete answer within the time limit")
    }

    @Test func aHugeResponseIsCutOffNotHeld() async throws {
        var client = LabClient()
        client.maxResponseBytes = 64 * 1024
        let head = Array("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n".utf8)
        let exchange = try await send(head + [UInt8](repeating: 65, count: 1_000_000), client: client)
        #expect(exchange.truncated)
        #expect(exchange.received.count == 64 * 1024)
        #expect(exchange.failure?.contains("larger than") == true)
    }

    @Test func contentThatIsNotUTF8ArrivesAsBytes() async throws {
        let head = Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\n".utf8)
        let exchange = try await send(head + [0xFF, 0xFE, 0x41])
        #expect(exchange.response?.body == [0xFF, 0xFE, 0x41])
    }

    @Test func digestIsAnsweredInTwoExchangesAndTheLoginFormGivesASession() async throws {
        let server = MockServer(service: MockService(diagrams: try ServerDiagrams(library)), port: 0)
        let port = try await server.start()
        defer { Task { await server.stop() } }
        let base = "http://127.0.0.1:\(port)"
        for algorithm in ["MD5", "SHA-256"] {
            let digest = await LabClient().send(LabRequest(url: "/digest-auth/auth/alice/wonderland/\(algorithm)",
                                                           credentials: .digest(user: "alice", password: "wonderland")), base: base)
            #expect(digest.exchanges.map { $0.response?.status } == [401, 200], "\(algorithm)")
            #expect(String(decoding: digest.exchanges[1].sent, as: UTF8.self).contains("Authorization: Digest username=\"alice\""))
            #expect(digest.note == nil)
        }
        // ux-walk-1 ML3: Digest where no Digest challenge comes sends nothing, and says so.
        let noDigest = await LabClient().send(LabRequest(url: "/api/profile", credentials: .digest(user: "alice", password: "wonderland")), base: base)
        #expect(noDigest.exchanges.count == 1)
        #expect(!String(decoding: noDigest.exchanges[0].sent, as: UTF8.self).contains("Authorization"))
        #expect(noDigest.note == "No Digest challenge came back (the server offers Bearer), so the request went without credentials, as curl --digest does.")
        var history = LabHistory()
        history.add(noDigest.request, status: 401, at: Date(), note: noDigest.note)
        let decoded = try JSONDecoder().decode(LabHistory.self, from: try JSONEncoder().encode(history))
        #expect(decoded.entries.first?.note == noDigest.note)
        let old = #"{"version":1,"entries":[{"request":\#(String(decoding: try JSONEncoder().encode(noDigest.request), as: UTF8.self)),"date":0,"status":401}]}"#
        #expect(try JSONDecoder().decode(LabHistory.self, from: Data(old.utf8)).entries.first?.note == nil, "a history written before notes still reads")
        let browser = await LabClient().send(LabRequest(url: "/app/notes", credentials: .formLogin(user: "alice", password: "wonderland")), base: base)
        #expect(browser.exchanges.map { $0.response?.status } == [303, 200])
        #expect(browser.final?.response?.decision?.outcome == "ok")
    }

    @Test func port8401TakenMeansAnotherPortAndANote() async throws {
        let squatter = try OneShotServer(reply: [])
        let backend = LiveLabBackend(diagrams: try ServerDiagrams(library), port: squatter.port)
        let state = await backend.startServer()
        guard case .running(let url, let note) = state else { Issue.record("\(state)"); return }
        #expect(!url.hasSuffix(":\(squatter.port)"))
        #expect(note?.contains("Port \(squatter.port) is taken by another program") == true)
        let result = await backend.send(LabRequest(url: "/api/profile"), base: url)
        #expect(result.final?.response?.status == 401)
        // The exchange reaches the live log.
        let (entries, _) = backend.logEntries(after: 0, limit: 10)
        #expect(entries.last?.target == "/api/profile" && entries.last?.decision?.hasPrefix("auth: ") == true)
        await backend.stopServer()
        #expect(backend.serverURL == nil)
    }
}

/// The Lab's server is started and stopped by effects that run on any thread in any order: a
/// Lab opened and left at once must leave nothing listening, whichever runs first.
@Suite(.serialized) struct LabBackendLifetimeTests {
    /// A port nothing listens on now, below the kernel's ephemeral range (32768 and up), so that
    /// no other test's server on port 0 is handed it while this one watches it.
    func freePort() throws -> Int {
        try #require((21_000..<32_000).shuffled().first { !listening(on: $0) })
    }

    /// Whether `port` stops listening within two seconds: a server left running keeps it; one
    /// that is closing may still hold it for a moment on a busy machine.
    func closes(_ port: Int) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(2)
        while listening(on: port) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    @Test(arguments: 0..<20) func aStopRacingAStartLeavesNothingListening(_ round: Int) async throws {
        let port = try freePort()
        let backend = LiveLabBackend(diagrams: try ServerDiagrams(library), port: port)
        // Half the rounds send the stop first, as a Lab left before its start effect ran would.
        let stopFirst = !round.isMultiple(of: 2)
        let start = Task {
            if stopFirst { await Task.yield() }
            return await backend.startServer()
        }
        let stop = Task {
            if !stopFirst { await Task.yield() }
            await backend.stopServer()
        }
        _ = await start.value
        await stop.value
        #expect(backend.serverURL == nil)
        #expect(await closes(port), "round \(round): the server outlived the screen that started it")
        // And the next screen gets a server of its own.
        guard case .running(let url, _) = await backend.startServer() else { Issue.record("no server after the race"); return }
        #expect(url.hasSuffix(":\(port)"))
        await backend.stopServer()
        #expect(await closes(port))
    }

    @Test func twoScreensShareOneServerUntilBothLetGo() async throws {
        let backend = LiveLabBackend(diagrams: try ServerDiagrams(library), port: 0)
        async let first = backend.startServer()
        async let second = backend.startServer()
        let (a, b) = await (first, second)
        #expect(a.url != nil && a.url == b.url, "one server, shared")
        await backend.stopServer()
        #expect(backend.serverURL == a.url, "still held by the other screen")
        await backend.stopServer()
        #expect(backend.serverURL == nil)
    }
}
