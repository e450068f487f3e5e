import Crypto
import StatusLabCore
import Foundation

/// The access tokens `POST /oauth/token` issues: JWTs (RFC 7519) signed with HS256 (HMAC with
/// SHA-256, RFC 7518 §3.2) under a key made when the server starts, so a token from an earlier
/// run fails its signature. Claims: `iss`, `aud`, `sub`, `scope`, `iat`, `exp`.
struct Tokens: Sendable {
    static let issuer = "statuslab"
    /// The audience the API accepts; a token for another audience is refused.
    static let audience = "statuslab-api"
    static let longestLifetime = 3600

    /// The HMAC key's bytes (32 from the system's random source by default).
    let key: [UInt8]

    init(key: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }) { self.key = key }

    func issue(subject: String, scopes: [String], lifetime: Int, audience: String = Tokens.audience, now: Date = Date()) -> String {
        let issued = Int(now.timeIntervalSince1970)
        let claims: [String: Any] = ["iss": Self.issuer, "aud": audience, "sub": subject, "scope": scopes.joined(separator: " "),
                                     "iat": issued, "exp": issued + lifetime]
        let header = Self.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let payload = Self.base64URL((try? JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])) ?? Data())
        return header + "." + payload + "." + signature(header + "." + payload)
    }

    enum Verdict: Equatable {
        case valid(subject: String, scopes: [String])
        case expired(subject: String)
        /// Not ours: a bad signature, another audience, not a JWT we can read.
        case wrong
    }

    /// Nil for something that is not a JWT at all (an opaque demo token).
    func verify(_ token: String, now: Date = Date()) -> Verdict? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].hasPrefix("eyJ") else { return nil }
        guard let header = Self.json(parts[0]), header["alg"] as? String == "HS256",
              constantTimeEquals(signature(parts[0] + "." + parts[1]), String(parts[2])),
              let claims = Self.json(parts[1]), claims["aud"] as? String == Self.audience, claims["iss"] as? String == Self.issuer,
              let subject = claims["sub"] as? String, let expires = (claims["exp"] as? NSNumber)?.doubleValue else { return .wrong }
        guard now.timeIntervalSince1970 < expires else { return .expired(subject: subject) }
        let scopes = ((claims["scope"] as? String) ?? "").split(separator: " ").map(String.init)
        return .valid(subject: subject, scopes: scopes)
    }

    private func signature(_ text: String) -> String {
        Self.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key))))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func json(_ part: Substring) -> [String: Any]? {
        guard let data = JWT.base64URLDecoded(part) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
