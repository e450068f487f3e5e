import Foundation

/// A JSON Web Token (RFC 7519) taken apart for reading: its header and claims, and when it
/// expires. Nothing is verified: the Lab shows what a token says, not whether to trust it.
public struct JWT: Sendable, Equatable {
    /// Header and claims as `name: value` lines, in the token's own order where JSON keeps it.
    public let header: [(name: String, value: String)]
    public let claims: [(name: String, value: String)]
    public let expires: Date?

    public static func == (a: JWT, b: JWT) -> Bool {
        a.header.map(\.name) == b.header.map(\.name) && a.header.map(\.value) == b.header.map(\.value)
            && a.claims.map(\.name) == b.claims.map(\.name) && a.claims.map(\.value) == b.claims.map(\.value) && a.expires == b.expires
    }

    /// A compact JWS (`header.payload.signature`, base64url) whose two first parts are JSON
    /// objects; nil for anything else, such as an opaque token.
    public init?(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Self.object(parts[0]), let claims = Self.object(parts[1]) else { return nil }
        self.header = header
        self.claims = claims
        expires = claims.first { $0.name == "exp" }.flatMap { Double($0.value) }.map { Date(timeIntervalSince1970: $0) }
    }

    /// The first JWT in a header value such as `Bearer eyJ…` or a `Set-Cookie`, or in a body.
    public static func find(in text: String) -> (token: String, jwt: JWT)? {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        for word in text.components(separatedBy: allowed.inverted) where word.hasPrefix("eyJ") {
            if let jwt = JWT(word) { return (word, jwt) }
        }
        return nil
    }

    public func hasExpired(at now: Date) -> Bool { expires.map { $0 <= now } ?? false }

    /// A base64url part of a token (RFC 4648 §5, padding left out), decoded.
    public static func base64URLDecoded(_ part: Substring) -> Data? {
        var base64 = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    private static func object(_ part: Substring) -> [(name: String, value: String)]? {
        guard let data = base64URLDecoded(part),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object.keys.sorted().map { key in (key, describe(object[key]!)) }
    }

    private static func describe(_ value: Any) -> String {
        switch value {
        case let text as String: return text
        case let flag as Bool where type(of: value) == Bool.self:
            return flag ? "true" : "false"
        case let number as NSNumber:
            return number.stringValue
        default:
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
            return data.map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
        }
    }
}
