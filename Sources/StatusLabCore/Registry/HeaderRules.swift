/// Headers a response with a given status code must carry, per the specs. The content check
/// holds every page and every decision outcome to this one table; `check`, `judge`
/// (`AnswerRules`) and the server's `/status/{code}` read it too.
public enum HeaderRules {
    static let required: [Int: [(name: String, reference: String)]] = [
        101: [("Upgrade", "RFC 9110 §15.2.2")],
        301: [("Location", "RFC 9110 §15.4.2")],
        302: [("Location", "RFC 9110 §15.4.3")],
        303: [("Location", "RFC 9110 §15.4.4")],
        307: [("Location", "RFC 9110 §15.4.8")],
        308: [("Location", "RFC 9110 §15.4.9")],
        401: [("WWW-Authenticate", "RFC 9110 §15.5.2")],
        405: [("Allow", "RFC 9110 §15.5.6")],
        407: [("Proxy-Authenticate", "RFC 9110 §15.5.8")],
        426: [("Upgrade", "RFC 9110 §15.5.22")],
    ]

    /// The names of the header fields a `code` response must carry.
    public static func requiredHeaders(for code: Int) -> [String] {
        required[code, default: []].map(\.name)
    }

    /// The spec section that makes `header` required on `code`.
    public static func reference(for header: String, on code: Int) -> String? {
        required[code]?.first { $0.name.lowercased() == header.lowercased() }?.reference
    }
}
