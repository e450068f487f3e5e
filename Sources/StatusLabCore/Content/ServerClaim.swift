/// A sentence of content that says what the built-in server answers, carried as a request and
/// the status it gets, so that the prose cannot drift from the server (docs/CONTENT.md,
/// "Claims"): `claim: GET /api/nope -> 401`, or with credentials,
/// `claim: GET /api/nope as basic alice:wonderland -> 404` (`as bearer TOKEN`, `as header VALUE`).
/// The content check reads its form; `statuslab content check` and the tests send it to the
/// real server and compare.
public struct ServerClaim: Sendable {
    /// The field's value as written, for messages.
    public let text: String
    public let request: LabRequest
    public let status: Int
    public let file: String
    public let line: Int

    static let form = "a claim is `METHOD /path -> STATUS`, with `as basic user:password`, `as bearer TOKEN` or `as header VALUE` before the arrow if it needs credentials"

    /// The claim a `claim:` field states; nil (and a complaint at its line) when it is not of
    /// the form above.
    static func parse(_ field: Field, file: String, complain: (Int, String) -> Void) -> ServerClaim? {
        guard let arrow = field.value.range(of: " -> ", options: .backwards),
              let status = Int(field.value[arrow.upperBound...].trimmingCharacters(in: .whitespaces)),
              StatusRegistry.lookup(status) != nil else {
            complain(field.line, form)
            return nil
        }
        var words = field.value[..<arrow.lowerBound].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count >= 2, words[1].hasPrefix("/"), words[0].allSatisfy({ $0.isLetter && $0.isUppercase }) else {
            complain(field.line, form)
            return nil
        }
        var request = LabRequest(method: words[0], url: words[1])
        words.removeFirst(2)
        if !words.isEmpty {
            guard words.count >= 3, words[0] == "as" else { complain(field.line, form); return nil }
            let value = words[2...].joined(separator: " ")
            switch words[1] {
            case "basic":
                let pair = value.split(separator: ":", maxSplits: 1).map(String.init)
                guard pair.count == 2 else { complain(field.line, form); return nil }
                request.credentials = .basic(user: pair[0], password: pair[1])
            case "bearer": request.credentials = .header("Bearer " + value)
            case "header": request.credentials = .header(value)
            default: complain(field.line, form); return nil
            }
        }
        return ServerClaim(text: field.value, request: request, status: status, file: file, line: field.line)
    }
}
