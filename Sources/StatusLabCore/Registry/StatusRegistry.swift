/// The IANA HTTP Status Code Registry, as the content check knows it: every registered code,
/// its reason phrase and the reference the registry gives. Content pages must match it.
public struct RegisteredCode: Sendable, Hashable {
    public let code: Int
    public let reason: String
    /// The registry's reference, in the form content uses (`RFC 9110 §15.5.2`).
    public let reference: String
    /// Registered but never to be sent (306, 418).
    public let unused: Bool

    public var statusClass: StatusClass { StatusClass(code: code)! }
}

public enum StatusClass: Int, Sendable, CaseIterable, Comparable {
    case informational = 1, successful, redirection, clientError, serverError

    public init?(code: Int) {
        guard (100...599).contains(code) else { return nil }
        self.init(rawValue: code / 100)
    }

    /// Parses `4xx`, `4XX` or `4`.
    public init?(label: String) {
        let text = label.lowercased()
        let digit = text.hasSuffix("xx") ? String(text.dropLast(2)) : text
        guard digit.count == 1, let value = Int(digit) else { return nil }
        self.init(rawValue: value)
    }

    public var label: String { "\(rawValue)xx" }

    public var name: String {
        switch self {
        case .informational: "Informational"
        case .successful: "Successful"
        case .redirection: "Redirection"
        case .clientError: "Client Error"
        case .serverError: "Server Error"
        }
    }

    public static func < (lhs: StatusClass, rhs: StatusClass) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum StatusRegistry {
    public static func lookup(_ code: Int) -> RegisteredCode? { byCode[code] }

    /// `401 Unauthorized`: the code and the reason phrase a status line carries, the same for
    /// the wire and the screen. Unused codes read `306 Unused`; unregistered ones the code alone.
    public static func statusText(_ code: Int) -> String {
        guard var phrase = lookup(code)?.reason else { return "\(code)" }
        if phrase.hasPrefix("("), phrase.hasSuffix(")") { phrase = String(phrase.dropFirst().dropLast()) }
        return "\(code) \(phrase)"
    }

    private static let byCode: [Int: RegisteredCode] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.code, $0) })

    /// Permanent registrations as of the registry's 2022 revision by RFC 9110 and later
    /// additions. 104 is a temporary, draft-based registration and is left out on purpose.
    public static let all: [RegisteredCode] = [
        entry(100, "Continue", "RFC 9110 §15.2.1"),
        entry(101, "Switching Protocols", "RFC 9110 §15.2.2"),
        entry(102, "Processing", "RFC 2518"),
        entry(103, "Early Hints", "RFC 8297"),
        entry(200, "OK", "RFC 9110 §15.3.1"),
        entry(201, "Created", "RFC 9110 §15.3.2"),
        entry(202, "Accepted", "RFC 9110 §15.3.3"),
        entry(203, "Non-Authoritative Information", "RFC 9110 §15.3.4"),
        entry(204, "No Content", "RFC 9110 §15.3.5"),
        entry(205, "Reset Content", "RFC 9110 §15.3.6"),
        entry(206, "Partial Content", "RFC 9110 §15.3.7"),
        entry(207, "Multi-Status", "RFC 4918 §11.1"),
        entry(208, "Already Reported", "RFC 5842 §7.1"),
        entry(226, "IM Used", "RFC 3229 §10.4.1"),
        entry(300, "Multiple Choices", "RFC 9110 §15.4.1"),
        entry(301, "Moved Permanently", "RFC 9110 §15.4.2"),
        entry(302, "Found", "RFC 9110 §15.4.3"),
        entry(303, "See Other", "RFC 9110 §15.4.4"),
        entry(304, "Not Modified", "RFC 9110 §15.4.5"),
        entry(305, "Use Proxy", "RFC 9110 §15.4.6"),
        entry(306, "(Unused)", "RFC 9110 §15.4.7", unused: true),
        entry(307, "Temporary Redirect", "RFC 9110 §15.4.8"),
        entry(308, "Permanent Redirect", "RFC 9110 §15.4.9"),
        entry(400, "Bad Request", "RFC 9110 §15.5.1"),
        entry(401, "Unauthorized", "RFC 9110 §15.5.2"),
        entry(402, "Payment Required", "RFC 9110 §15.5.3"),
        entry(403, "Forbidden", "RFC 9110 §15.5.4"),
        entry(404, "Not Found", "RFC 9110 §15.5.5"),
        entry(405, "Method Not Allowed", "RFC 9110 §15.5.6"),
        entry(406, "Not Acceptable", "RFC 9110 §15.5.7"),
        entry(407, "Proxy Authentication Required", "RFC 9110 §15.5.8"),
        entry(408, "Request Timeout", "RFC 9110 §15.5.9"),
        entry(409, "Conflict", "RFC 9110 §15.5.10"),
        entry(410, "Gone", "RFC 9110 §15.5.11"),
        entry(411, "Length Required", "RFC 9110 §15.5.12"),
        entry(412, "Precondition Failed", "RFC 9110 §15.5.13"),
        entry(413, "Content Too Large", "RFC 9110 §15.5.14"),
        entry(414, "URI Too Long", "RFC 9110 §15.5.15"),
        entry(415, "Unsupported Media Type", "RFC 9110 §15.5.16"),
        entry(416, "Range Not Satisfiable", "RFC 9110 §15.5.17"),
        entry(417, "Expectation Failed", "RFC 9110 §15.5.18"),
        entry(418, "(Unused)", "RFC 9110 §15.5.19", unused: true),
        entry(421, "Misdirected Request", "RFC 9110 §15.5.20"),
        entry(422, "Unprocessable Content", "RFC 9110 §15.5.21"),
        entry(423, "Locked", "RFC 4918 §11.3"),
        entry(424, "Failed Dependency", "RFC 4918 §11.4"),
        entry(425, "Too Early", "RFC 8470 §5.2"),
        entry(426, "Upgrade Required", "RFC 9110 §15.5.22"),
        entry(428, "Precondition Required", "RFC 6585 §3"),
        entry(429, "Too Many Requests", "RFC 6585 §4"),
        entry(431, "Request Header Fields Too Large", "RFC 6585 §5"),
        entry(451, "Unavailable For Legal Reasons", "RFC 7725 §3"),
        entry(500, "Internal Server Error", "RFC 9110 §15.6.1"),
        entry(501, "Not Implemented", "RFC 9110 §15.6.2"),
        entry(502, "Bad Gateway", "RFC 9110 §15.6.3"),
        entry(503, "Service Unavailable", "RFC 9110 §15.6.4"),
        entry(504, "Gateway Timeout", "RFC 9110 §15.6.5"),
        entry(505, "HTTP Version Not Supported", "RFC 9110 §15.6.6"),
        entry(506, "Variant Also Negotiates", "RFC 2295 §8.1"),
        entry(507, "Insufficient Storage", "RFC 4918 §11.5"),
        entry(508, "Loop Detected", "RFC 5842 §7.2"),
        entry(510, "Not Extended", "RFC 2774 §7"),
        entry(511, "Network Authentication Required", "RFC 6585 §6"),
    ]

    private static func entry(_ code: Int, _ reason: String, _ reference: String, unused: Bool = false) -> RegisteredCode {
        RegisteredCode(code: code, reason: reason, reference: reference, unused: unused)
    }
}

extension StatusClass {
    /// Each class has one colour wherever a code is shown.
    public var color: NamedColor {
        switch self {
        case .informational: .cyan
        case .successful: .green
        case .redirection: .blue
        case .clientError: .yellow
        case .serverError: .red
        }
    }
}
