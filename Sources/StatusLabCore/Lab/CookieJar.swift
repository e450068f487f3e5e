import Foundation

/// The cookies a browser would keep for one server: set by `Set-Cookie` (RFC 6265 §5.2, name
/// and value; `Max-Age=0` or an empty value removes one), sent back as one `Cookie` line. No
/// domains or paths: the Lab talks to one server at a time.
public struct CookieJar: Sendable, Equatable {
    public private(set) var cookies: [(name: String, value: String)] = []

    public static func == (a: CookieJar, b: CookieJar) -> Bool {
        a.cookies.map(\.name) == b.cookies.map(\.name) && a.cookies.map(\.value) == b.cookies.map(\.value)
    }

    public init() {}

    /// This jar after the `Set-Cookie` values of a response.
    public func receiving(_ setCookies: [String]) -> CookieJar {
        var jar = self
        for line in setCookies {
            let attributes = line.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let pair = attributes.first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]), value = String(pair[pair.index(after: equals)...])
            let expired = attributes.dropFirst().contains { $0.lowercased().replacingOccurrences(of: " ", with: "") == "max-age=0" }
            jar.cookies.removeAll { $0.name == name }
            if !expired && !value.isEmpty { jar.cookies.append((name, value)) }
        }
        return jar
    }

    /// The `Cookie` header value, or nil with no cookies.
    public var header: String? {
        cookies.isEmpty ? nil : cookies.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
    }
}
