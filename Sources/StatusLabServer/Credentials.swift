import Foundation

/// What an Authorization header (or a session cookie) holds, as far as form goes. Whether the
/// credentials are right is worked out by `AuthDecision`.
enum Credentials: Equatable {
    case none
    /// A scheme this endpoint does not take (Digest on /api, say): as good as none.
    case otherScheme(String)
    /// The header cannot be read: bad base64, no colon, a token with characters outside
    /// token68, two Authorization headers.
    case malformed(scheme: String, why: String)
    case basic(user: String, password: String)
    case bearer(String)
    case session(String)
    /// Checked by the endpoint itself (Digest): the result of `credentials-check`.
    case checked(user: String, result: AuthDecision.Check)

    /// The scheme a challenge names: the one the request used (Bearer when it used none, or
    /// one this endpoint does not take).
    var scheme: String {
        switch self {
        case .basic, .malformed(scheme: "Basic", _), .otherScheme("Basic"): "Basic"
        case .malformed(scheme: "Digest", _), .otherScheme("Digest"), .checked: "Digest"
        default: "Bearer"
        }
    }

    static func from(_ request: ServiceRequest, sessionCookie: String? = nil) -> Credentials {
        let values = request.headers("Authorization")
        if values.count > 1 { return .malformed(scheme: "Bearer", why: "credentials were sent twice") }
        if request.queryValue("access_token") != nil {
            return values.isEmpty ? .malformed(scheme: "Bearer", why: "tokens in the URL are not accepted (RFC 6750 §2.3 discourages them)")
                                  : .malformed(scheme: "Bearer", why: "the token was sent both in the header and in the URL")
        }
        guard let value = values.first else {
            if let sessionCookie, let session = request.cookies[sessionCookie] { return .session(session) }
            return .none
        }
        let parts = value.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
        let scheme = parts.first.map(String.init) ?? ""
        let rest = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch scheme.lowercased() {
        case "basic":
            guard let data = Data(base64Encoded: rest), let decoded = String(data: data, encoding: .utf8),
                  let colon = decoded.firstIndex(of: ":") else {
                return .malformed(scheme: "Basic", why: "Basic credentials must be base64 of user:password")
            }
            return .basic(user: String(decoded[..<colon]), password: String(decoded[decoded.index(after: colon)...]))
        case "bearer":
            guard isToken68(rest) else {
                return .malformed(scheme: "Bearer", why: "a Bearer token is one token68 string (RFC 6750 §2.1)")
            }
            return .bearer(rest)
        default:
            return .otherScheme(scheme)
        }
    }
}

/// Compares secrets in time that does not depend on where they differ.
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    var difference = UInt8(x.count == y.count ? 0 : 1)
    for index in 0..<max(x.count, y.count) {
        difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
    }
    return difference == 0
}

/// `token68` (RFC 9110 §11.2): letters, digits, `-._~+/`, then optional `=` padding.
func isToken68(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    var index = 0
    while index < bytes.count, isToken68Character(bytes[index]) { index += 1 }
    guard index > 0 else { return false }
    while index < bytes.count, bytes[index] == UInt8(ascii: "=") { index += 1 }
    return index == bytes.count
}

private func isToken68Character(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
    default: return "-._~+/".utf8.contains(byte)
    }
}
