import NIOCore

/// The first line of each request as it arrived, kept so that a request NIO's parser refuses
/// for its method can be told apart: a well-formed request line naming a method this server
/// does not implement is a 501 (RFC 9110 §15.6.2); a line that is not an HTTP request line at
/// all (`THIS IS NOT HTTP`) is a 400 (RFC 9112 §3). NIO's parser reports both as an invalid
/// method. Sits before the decoder; `ServiceChannelHandler` says when the next request begins.
final class RequestLineSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The longest line kept: more than any request line this server accepts (its 414 limit).
    static let limit = 9 * 1024

    private(set) var line: [UInt8] = []
    /// Whether `line` ended with its CRLF (or LF).
    private(set) var complete = false
    private var capturing = true

    /// The request before has ended: what arrives next starts a new request line. Bytes of it
    /// already passed on (pipelined in the same read) are not seen, and the line stays unknown.
    func nextRequest() {
        line = []
        complete = false
        capturing = true
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if capturing {
            let buffer = unwrapInboundIn(data)
            for byte in buffer.readableBytesView {
                if byte == UInt8(ascii: "\n") || line.count >= Self.limit {
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    // Blank lines before a request line are allowed (RFC 9112 §2.2): skip them.
                    if line.isEmpty, byte == UInt8(ascii: "\n") { continue }
                    complete = byte == UInt8(ascii: "\n")
                    capturing = false
                    break
                }
                line.append(byte)
            }
        }
        context.fireChannelRead(data)
    }
}

enum RequestLine {
    /// Whether `line` is, or so far could be, `method SP request-target SP HTTP-version`
    /// (RFC 9112 §3): a token, a target, `HTTP/` and two digits. An incomplete line is judged
    /// on what it has; an empty one gets the benefit of the doubt.
    static func isWellFormed(_ line: [UInt8], complete: Bool) -> Bool {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard let method = parts.first, !method.isEmpty || !complete else { return !complete }
        guard method.allSatisfy(isTokenCharacter) else { return false }
        if parts.count > 3 { return false }
        if parts.count >= 2, let first = parts[1].first,
           !(first == UInt8(ascii: "/") || first == UInt8(ascii: "*") || (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z")) {
            return false
        }
        guard complete else { return true }
        guard parts.count == 3, !parts[1].isEmpty else { return false }
        let version = Array(parts[2])
        return version.count == 8 && Array(version[0..<5]) == Array("HTTP/".utf8)
            && isDigit(version[5]) && version[6] == UInt8(ascii: ".") && isDigit(version[7])
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// tchar (RFC 9110 §5.6.2).
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
