import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain blocking TCP client for the conformance tests: bytes out exactly as written, bytes
/// in exactly as the server sent them, no HTTP library in between.
struct RawSocket {
    let fd: Int32

    init(port: Int, timeout: TimeInterval = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { Glibc.close(fd); throw POSIXError(.ECONNREFUSED) }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends all of `bytes`; false when the peer is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// No more from this side (the server sees the end of its input).
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    enum End: Equatable { case closed, reset, timedOut }

    /// Reads until the server closes, resets or goes quiet past the timeout; or, with `until`,
    /// until the bytes read so far satisfy it.
    func read(until done: (([UInt8]) -> Bool)? = nil) -> (bytes: [UInt8], end: End) {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                data += chunk[..<n]
                if let done, done(data) { return (data, .timedOut) }
                continue
            }
            if n == 0 { return (data, .closed) }
            return (data, errno == ECONNRESET ? .reset : .timedOut)
        }
    }

    func close() { Glibc.close(fd) }
}

/// HTTP/1.1 responses read back from raw bytes, checking the framing as a client would: a
/// status line, header fields, and content exactly as Content-Length says (none for 1xx, 204,
/// 304 and responses to HEAD).
struct ParsedResponse {
    var version: String
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }

    enum Problem: Error, CustomStringConvertible {
        case malformed(String)
        var description: String { switch self { case .malformed(let why): why } }
    }

    /// Every response in `bytes`, in order; `heads` says which requests were HEAD (their
    /// responses carry no content). Throws on anything a client could not frame.
    static func all(_ bytes: [UInt8], heads: [Bool] = []) throws -> [ParsedResponse] {
        var responses: [ParsedResponse] = []
        var rest = bytes[...]
        var finals = 0
        while !rest.isEmpty {
            guard let end = find([13, 10, 13, 10], in: rest) else { throw Problem.malformed("a head without its empty line: \(String(decoding: rest.prefix(200), as: UTF8.self))") }
            let head = String(decoding: rest[rest.startIndex..<end], as: UTF8.self)
            rest = rest[(end + 4)...]
            var lines = head.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst()
            let parts = statusLine.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]), (100...599).contains(status) else {
                throw Problem.malformed("not a status line: \(statusLine)")
            }
            var headers: [(name: String, value: String)] = []
            for line in lines {
                guard let colon = line.firstIndex(of: ":"), !line.hasPrefix(" ") else { throw Problem.malformed("not a field: \(line)") }
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            var response = ParsedResponse(version: String(parts[0]), status: status, headers: headers, body: [])
            if status >= 200 {
                let isHead = finals < heads.count && heads[finals]
                finals += 1
                // A HEAD slot whose response closes the connection with exactly Content-Length
                // bytes left was a request the parser could not read as HEAD: a 400 with content.
                let refusedUnread = isHead && response.header("Connection") == "close"
                    && response.header("Content-Length").flatMap { Int($0) } == rest.count
                if status != 204 && status != 304 && (!isHead || refusedUnread) {
                    guard let length = response.header("Content-Length").flatMap(Int.init) else {
                        throw Problem.malformed("\(status) without Content-Length")
                    }
                    guard rest.count >= length else { throw Problem.malformed("content cut short: \(rest.count) of \(length) bytes") }
                    response.body = Array(rest.prefix(length))
                    rest = rest.dropFirst(length)
                }
            }
            responses.append(response)
        }
        return responses
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index <= haystack.endIndex - needle.count {
            if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
