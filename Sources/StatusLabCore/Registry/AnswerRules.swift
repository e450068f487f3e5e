import Foundation

/// What an answer must carry, whatever the decision was: the headers its code requires
/// (`HeaderRules`), a challenge in the scheme the client used, RFC 6750's error codes, and a body
/// that agrees with the code. `check` holds the answers it provokes to these, and `judge` the
/// answers it finds in recorded traffic: one author for both.
public enum AnswerRules {
    /// What the request carried, as far as the rules on its answer care.
    public enum Sent: Sendable, Equatable {
        case nothing
        /// Credentials of `scheme` that cannot be parsed.
        case malformed(scheme: String)
        /// Parseable credentials; `refused` when they are known to be wrong or expired (a plan
        /// says so), nil when nobody knows (recorded traffic).
        case credentials(scheme: String, refused: Bool?)
        /// Valid credentials that lack the scope the operation needs.
        case lackingScope(scheme: String)
        /// A cookie or an API key: nothing a challenge or an error code is about.
        case other

        public var scheme: String? {
            switch self {
            case .malformed(let scheme), .credentials(let scheme, _), .lackingScope(let scheme): scheme
            case .nothing, .other: nil
            }
        }
    }

    public struct Verdict: Sendable, Equatable {
        /// What is checked: `challenge`, `Allow`, `Location`, `no error code`, `invalid_token`,
        /// `insufficient_scope`, `problem details`, `error body`.
        public let rule: String
        public let passed: Bool
        public let detail: String
        public let page: String
    }

    /// Every rule that applies to an answer with `status`, `headers` and `body` to a request that
    /// sent `sent`; `schemeAccepted` says whether the API is known to take the scheme sent (a
    /// challenge need not name a scheme the API does not take).
    public static func verdicts(status: Int, headers: [WireResponse.Field], body: [UInt8], sent: Sent,
                                schemeAccepted: Bool = true) -> [Verdict] {
        func values(_ name: String) -> [String] { headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value) }
        var verdicts: [Verdict] = []
        let challenges = values("WWW-Authenticate")
        for name in HeaderRules.requiredHeaders(for: status) where values(name).isEmpty {
            let reference = HeaderRules.reference(for: name, on: status) ?? ""
            let (rule, detail, page): (String, String, String) = switch name {
            case "WWW-Authenticate": ("challenge", "a 401 must carry WWW-Authenticate, naming a scheme to log in with (\(reference))", "www-authenticate")
            case "Allow": ("Allow", "a 405 must carry Allow, listing the methods the resource takes (\(reference))", "405")
            case "Location": ("Location", "a \(status) must carry Location, the address to go to (\(reference))", "location")
            default: (name, "a \(status) must carry \(name) (\(reference))", String(status))
            }
            verdicts.append(Verdict(rule: rule, passed: false, detail: detail, page: page))
        }
        if status == 401, !challenges.isEmpty {
            let scheme = schemeAccepted ? sent.scheme : nil
            let named = scheme.map { scheme in challenges.contains { $0.lowercased().hasPrefix(scheme.lowercased()) } } ?? true
            verdicts.append(Verdict(rule: "challenge", passed: named,
                                    detail: named ? "WWW-Authenticate: \(challenges.joined(separator: ", "))"
                                        : "the challenge should name the scheme the request used (\(scheme ?? "")), got \(challenges.joined(separator: ", "))",
                                    page: "www-authenticate"))
        }
        verdicts += bearer(status: status, challenges: challenges, sent: sent)
        verdicts += content(status: status, type: values("Content-Type").first ?? "", body: body)
        return verdicts
    }

    /// RFC 6750 §3.1: no error code without a token, `invalid_token` for one that identifies
    /// nobody, `insufficient_scope` only with 403.
    static func bearer(status: Int, challenges: [String], sent: Sent) -> [Verdict] {
        guard let challenge = challenges.first(where: { $0.lowercased().hasPrefix("bearer") }) else {
            // RFC 6750 §3: a request with a token that does not give access gets a challenge.
            if case .lackingScope(let scheme) = sent, scheme.lowercased() == "bearer", status == 403 {
                return [Verdict(rule: "insufficient_scope", passed: false,
                                detail: "a token without the scope the request needs gets 403 with WWW-Authenticate: Bearer error=\"insufficient_scope\" and the scope (RFC 6750 §3, §3.1); there was no Bearer challenge",
                                page: "403")]
            }
            return []
        }
        var verdicts: [Verdict] = []
        let error = Self.errorCode(in: challenge)
        switch sent {
        case .nothing:
            verdicts.append(Verdict(rule: "no error code", passed: error == nil,
                                    detail: error == nil ? "no error code"
                                        : "a request without a token gets a challenge with no error code (RFC 6750 §3.1): \(challenge)",
                                    page: "bearer"))
        case .credentials(scheme: let scheme, let refused) where scheme.lowercased() == "bearer" && status == 401 && refused != false:
            verdicts.append(Verdict(rule: "invalid_token", passed: error == "invalid_token",
                                    detail: "a token that identifies nobody (wrong, expired, revoked) gets error=\"invalid_token\" (RFC 6750 §3.1): \(challenge)",
                                    page: "bearer"))
        case .lackingScope(let scheme) where scheme.lowercased() == "bearer" && status == 403:
            verdicts.append(Verdict(rule: "insufficient_scope", passed: error == "insufficient_scope",
                                    detail: "a token without the scope the request needs gets 403 with error=\"insufficient_scope\" and the scope (RFC 6750 §3.1): \(challenge)",
                                    page: "403"))
        default: break
        }
        if error == "insufficient_scope", status != 403 {
            verdicts.append(Verdict(rule: "insufficient_scope", passed: false,
                                    detail: "insufficient_scope goes with 403: the token is fine, its scope is not (RFC 6750 §3.1); this was a \(status)",
                                    page: "403"))
        }
        return verdicts
    }

    /// The `error` parameter of a Bearer challenge: `error="invalid_token"` → invalid_token. (By
    /// hand: a Regex literal is parsed anew at each use, and `judge` runs this per exchange.)
    static func errorCode(in challenge: String) -> String? {
        var rest = challenge[...]
        while let found = rest.range(of: "error") {
            let before = found.lowerBound == rest.startIndex ? nil : rest[rest.index(before: found.lowerBound)]
            var after = rest[found.upperBound...].drop { $0 == " " }
            rest = rest[found.upperBound...]
            // `error=`, not `error_description=` or `xerror=`.
            guard before == nil || before == " " || before == ",", after.first == "=" else { continue }
            after = after.dropFirst().drop { $0 == " " || $0 == "\"" }
            let code = after.prefix { $0.isLetter || $0 == "_" }
            return code.isEmpty ? nil : String(code)
        }
        return nil
    }

    /// The body agrees with the code: problem details are labelled so, and a success does not
    /// carry an error.
    static func content(status: Int, type: String, body: [UInt8]) -> [Verdict] {
        let mediaType = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        // No type given (a HAR may keep it apart from the headers): JSON if it looks like it.
        let looksJSON = mediaType.hasSuffix("json") || (mediaType.isEmpty && body.first == UInt8(ascii: "{"))
        let object = looksJSON && !body.isEmpty
            ? (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] : nil
        var verdicts: [Verdict] = []
        // `detail` alone is not enough: FastAPI and others send `{"detail": …}` as their own format.
        if status >= 400, let object, object["title"] is String || object["type"] is String {
            verdicts.append(Verdict(rule: "problem details", passed: mediaType == "application/problem+json",
                                    detail: "a problem details body is sent as application/problem+json (RFC 9457 §3), not \(type.isEmpty ? "without a type" : type)",
                                    page: "problem-details"))
        }
        if (200..<300).contains(status), let error = mediaType == "application/problem+json" ? mediaType : object.flatMap(errorInSuccess) {
            verdicts.append(Verdict(rule: "error body", passed: false,
                                    detail: "a \(status) whose body reports an error (\(error)): clients and caches take a 2xx as success; send the error's own code (RFC 9110 §15)",
                                    page: "problem-details"))
        }
        return verdicts
    }

    /// What makes a JSON success body an error report: an `error` member that is set, a non-empty
    /// `errors` list, a `status` or `code` of 400 or more, or `success: false`.
    static func errorInSuccess(_ object: [String: Any]) -> String? {
        if let error = object["error"], !(error is NSNull), (error as? Bool) != false, (error as? String).map({ !$0.isEmpty }) ?? true {
            return "\"error\": \(String(describing: error).prefix(60))"
        }
        if let errors = object["errors"] as? [Any], !errors.isEmpty { return "\"errors\": [\(errors.count)]" }
        for key in ["status", "code", "statusCode", "status_code"] {
            if let number = (object[key] as? NSNumber)?.intValue ?? (object[key] as? String).flatMap({ Int($0) }), (400...599).contains(number) {
                return "\"\(key)\": \(number)"
            }
        }
        if (object["success"] as? Bool) == false { return "\"success\": false" }
        return nil
    }
}
