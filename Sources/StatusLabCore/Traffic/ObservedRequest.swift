import Foundation

/// The facts a recorded request shows by itself: whether it carried credentials, in which
/// scheme, and whether they could be parsed; whether a browser was navigating or a script asked
/// for data; and the route it asked for, with its ids folded (`/notes/{id}`).
struct ObservedRequest {
    enum Credentials: Equatable {
        case none
        case authorization(scheme: String, wellFormed: Bool)
        /// A cookie or an API key: credentials of a kind the answer's rules say nothing about.
        case other
    }

    enum Client { case browser, script, unknown }

    let credentials: Credentials
    let client: Client
    let accept: String
    /// `GET /notes/{id}`.
    let template: String
    /// Who asked: the credentials as sent, or "anonymous".
    let caller: String

    /// Credentials that could name someone: parseable, or a cookie or key.
    var couldIdentify: Bool {
        switch credentials {
        case .authorization(_, let wellFormed): wellFormed
        case .other: true
        case .none: false
        }
    }

    init(_ entry: LabLogEntry) {
        var authorization: String?, cookie: String?, apiKey: String?, fetchMode: String?, requestedWith: String?
        var accept = ""
        for field in entry.requestHeaders {
            switch field.name.lowercased() {
            case "authorization": authorization = field.value
            case "cookie": cookie = field.value
            case "x-api-key", "api-key", "apikey", "x-auth-token", "x-access-token": apiKey = field.value
            case "accept": accept = field.value
            case "sec-fetch-mode": fetchMode = field.value.lowercased()
            case "x-requested-with": requestedWith = field.value
            default: break
            }
        }
        let (path, query) = Self.pathAndQuery(entry.target)
        if apiKey == nil, let query {
            apiKey = query.split(separator: "&").first { pair in
                ["access_token", "api_key", "apikey", "key", "token"].contains(pair.split(separator: "=").first.map { $0.lowercased() } ?? "")
            }.map(String.init)
        }
        if let authorization {
            let scheme = String(authorization.prefix { $0 != " " })
            credentials = .authorization(scheme: scheme, wellFormed: Self.wellFormed(scheme: scheme, authorization.dropFirst(scheme.count)))
        } else {
            credentials = cookie != nil || apiKey != nil ? .other : .none
        }
        caller = authorization ?? apiKey ?? cookie ?? "anonymous"
        self.accept = accept
        let wantsHTML = accept.lowercased().contains("text/html")
        if fetchMode == "navigate" || (fetchMode == nil && requestedWith == nil && wantsHTML) {
            client = .browser
        } else if requestedWith != nil || (accept.lowercased().contains("json") && !wantsHTML) {
            // A script asking for data. (A fetch() that accepts HTML may be rendering a page:
            // not known either way.)
            client = .script
        } else {
            client = .unknown
        }
        template = entry.method + " " + Self.fold(path)
    }

    /// Basic: base64 of user:password; Bearer: one token68; Digest: username and response.
    static func wellFormed(scheme: String, _ rest: Substring) -> Bool {
        let value = rest.trimmingCharacters(in: .whitespaces)
        switch scheme.lowercased() {
        case "basic":
            guard let data = Data(base64Encoded: value), let text = String(data: data, encoding: .utf8) else { return false }
            return text.contains(":")
        case "bearer":
            return isToken68(value)
        case "digest":
            return value.contains("username=") && value.contains("response=")
        default:
            return !value.isEmpty
        }
    }

    // Checked by hand rather than with Regex: a Regex literal is parsed again each time it is
    // used, and that was a third of `judge`'s time (docs/BENCHMARKS.md, "judge").

    /// RFC 6750's b64token (RFC 7235's token68): the alphabet, then `=` padding only.
    static func isToken68(_ value: String) -> Bool {
        var bytes = value.utf8[...]
        while bytes.last == UInt8(ascii: "=") { bytes = bytes.dropLast() }
        return !bytes.isEmpty && bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"): true
            default: false
            }
        }
    }

    /// 8-4-4-4-12 hex digits.
    static func isUUID(_ segment: Substring) -> Bool {
        let bytes = Array(segment.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else if !(Character(Unicode.Scalar(byte)).isHexDigit) {
                return false
            }
        }
        return true
    }

    /// The path and query of an absolute URL or an origin-form target.
    static func pathAndQuery(_ target: String) -> (path: Substring, query: Substring?) {
        var rest = Substring(target)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        guard let mark = rest.firstIndex(of: "?") else { return (rest, nil) }
        return (rest[..<mark], rest[rest.index(after: mark)...])
    }

    /// `/notes/42/comments/7` → `/notes/{id}/comments/{id}`: numbers, UUIDs and long
    /// identifiers made of letters and digits become `{id}`.
    static func fold(_ path: Substring) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            isIdentifier(segment) ? "{id}" : String(segment)
        }.joined(separator: "/")
    }

    static func isIdentifier(_ segment: Substring) -> Bool {
        guard !segment.isEmpty else { return false }
        if segment.allSatisfy(\.isASCIIDigit) { return true }
        if isUUID(segment) { return true }
        // Long tokens with digits in them: hashes, slugs with ids, base62 keys.
        return segment.count >= 8 && segment.contains(where: \.isASCIIDigit)
            && segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
