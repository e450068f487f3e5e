import Foundation

/// Reads an `.exercise` file (docs/CONTENT.md, "Exercises") and checks it against the diagrams,
/// with `file:line` problems.
struct ExerciseParser {
    let path: String
    let text: String

    func parse(diagrams: [Diagram], diagnostics: inout [Diagnostic], links: inout [MarkupParser.LinkUse]) -> Exercise? {
        var markup = MarkupParser.Result()
        let inline = MarkupParser(file: path)
        func complain(_ line: Int, _ message: String) { diagnostics.append(Diagnostic(file: path, line: line, message: message)) }
        func inlines(_ field: Field) -> [Inline] {
            inline.parseInline(Substring(field.value), line: field.line, into: &markup)
        }
        let blocks = FieldReader.blocks(text)
        guard let head = blocks.first, head.first?.key == "exercise" else {
            complain(1, "an exercise file starts with `exercise: <id>`")
            return nil
        }
        let known: Set = ["exercise", "title", "order", "goal", "hint", "explanation", "spec", "claim"]
        for field in head where !known.contains(field.key) {
            complain(field.line, "unknown field `\(field.key)` (known: \(known.sorted().joined(separator: ", ")))")
        }
        func one(_ key: String) -> Field? { head.one(key) }
        for key in ["title", "order", "goal", "hint", "explanation", "spec"] where one(key)?.value.isEmpty ?? true {
            complain(head[0].line, "exercise `\(head[0].value)` needs a `\(key):` line")
        }
        let order = one("order").flatMap { Int($0.value) } ?? 0
        if let field = one("order"), Int(field.value) == nil { complain(field.line, "order is a whole number, such as 3") }
        let specs = one("spec")?.list(";") ?? []
        for spec in specs where !SpecReference.isWellFormed(spec) {
            complain(one("spec")!.line, "spec reference `\(spec)` is not of the form `RFC 9110 §15.5.2`")
        }

        var steps: [Exercise.Step] = []
        for block in blocks.dropFirst() {
            guard let first = block.first, first.key == "step" else {
                complain(block.first?.line ?? 1, "after the exercise's own fields come `step:` blocks")
                continue
            }
            if let step = parseStep(block, diagrams: diagrams, complain) { steps.append(step) }
        }
        if steps.isEmpty { complain(head[0].line, "exercise `\(head[0].value)` needs at least one `step:` block with `expect:` lines") }

        diagnostics.append(contentsOf: markup.diagnostics)
        var exercise = Exercise(id: head[0].value, path: path, title: one("title")?.value ?? "", order: order,
                                goal: one("goal").map(inlines) ?? [], hints: head.all("hint").map(inlines),
                                explanation: one("explanation").map(inlines) ?? [], specs: specs, steps: steps)
        exercise.claims = head.all("claim").compactMap { ServerClaim.parse($0, file: path, complain: complain) }
        links.append(contentsOf: markup.links)
        return exercise
    }

    private func parseStep(_ block: [Field], diagrams: [Diagram], _ complain: (Int, String) -> Void) -> Exercise.Step? {
        let known: Set = ["step", "expect", "send", "send-header", "send-body", "send-credentials"]
        for field in block where !known.contains(field.key) {
            complain(field.line, "unknown field `\(field.key)` in a step (known: \(known.sorted().joined(separator: ", ")))")
        }
        var expectations: [Exercise.Expectation] = []
        for field in block where field.key == "expect" {
            if let expectation = expectation(field, diagrams: diagrams, complain) { expectations.append(expectation) }
        }
        if expectations.isEmpty { complain(block[0].line, "step `\(block[0].value)` needs at least one `expect:` line") }

        var solution: LabRequest? = nil
        var tokenFor: (String, String, String)? = nil
        var staleDigest = false
        if let send = block.first(where: { $0.key == "send" }) {
            let parts = send.value.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2, parts[1].hasPrefix("/") {
                var request = LabRequest(method: parts[0], url: parts[1])
                for field in block where field.key == "send-header" {
                    guard let colon = field.value.firstIndex(of: ":") else { complain(field.line, "send-header is `Name: value`"); continue }
                    request.headers.append(.init(name: field.value[..<colon].trimmingCharacters(in: .whitespaces),
                                                 value: field.value[field.value.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
                }
                request.body = block.first { $0.key == "send-body" }?.value ?? ""
                if let field = block.first(where: { $0.key == "send-credentials" }) {
                    let words = field.value.split(separator: " ", maxSplits: 1).map(String.init)
                    let rest = words.count > 1 ? words[1] : ""
                    let pair = rest.split(separator: ":", maxSplits: 1).map(String.init)
                    switch (words.first ?? "", pair.count) {
                    case ("basic", 2): request.credentials = .basic(user: pair[0], password: pair[1])
                    case ("digest", 2): request.credentials = .digest(user: pair[0], password: pair[1])
                    case ("form", 2): request.credentials = .formLogin(user: pair[0], password: pair[1])
                    case ("header", _) where !rest.isEmpty: request.credentials = .header(rest)
                    case ("stale-digest", 2):
                        // Digest answered with a nonce issued long ago: the tests make one.
                        request.credentials = .digest(user: pair[0], password: pair[1])
                        staleDigest = true
                    case ("token", _):
                        let tokenWords = rest.split(separator: " ").map(String.init)
                        let account = tokenWords.first?.split(separator: ":", maxSplits: 1).map(String.init) ?? []
                        if account.count == 2 { tokenFor = (account[0], account[1], tokenWords.dropFirst().joined(separator: " ")) }
                        else { complain(field.line, "send-credentials: token is `token user:password scope`") }
                    default:
                        complain(field.line, "send-credentials is basic user:password, digest user:password, stale-digest user:password, form user:password, header <value> or token user:password scope")
                    }
                }
                do { _ = try request.target(base: "http://127.0.0.1:8401") } catch { complain(send.line, "send: \(error.description)") }
                solution = request
            } else {
                complain(send.line, "send is `METHOD /path?query`")
            }
        }
        return Exercise.Step(label: block[0].value, expectations: expectations, solution: solution, tokenFor: tokenFor,
                             staleDigest: staleDigest, line: block[0].line)
    }

    private func expectation(_ field: Field, diagrams: [Diagram], _ complain: (Int, String) -> Void) -> Exercise.Expectation? {
        let words = field.value.split(separator: " ", maxSplits: 1).map(String.init)
        guard words.count == 2 else { complain(field.line, "an expectation is `kind value`, such as `status 401`"); return nil }
        let (kind, value) = (words[0], words[1].trimmingCharacters(in: .whitespaces))
        func headerExpectation() -> (String, String?) {
            let parts = value.components(separatedBy: " ~ ")
            return (parts[0].trimmingCharacters(in: .whitespaces), parts.count > 1 ? parts[1] : nil)
        }
        switch kind {
        case "status":
            if value.count == 3, value.hasSuffix("xx"), let digit = Int(value.prefix(1)), (1...5).contains(digit) { return .statusClass(digit) }
            guard let code = Int(value), StatusRegistry.lookup(code) != nil else {
                complain(field.line, "status `\(value)` is not a registered code or a class such as 4xx")
                return nil
            }
            return .status(code)
        case "method": return .method(value)
        case "target":
            guard value.hasPrefix("/") else { complain(field.line, "a target starts with /"); return nil }
            return .target(value)
        case "decision":
            let parts = value.split(separator: "/").map(String.init)
            guard parts.count == 2, let diagram = diagrams.first(where: { $0.id == parts[0] }), diagram.outcome(parts[1]) != nil else {
                complain(field.line, "decision `\(value)` names no outcome of a diagram (diagram/outcome, such as auth/challenge)")
                return nil
            }
            return .decision(diagram: parts[0], outcome: parts[1])
        case "decision-step":
            let parts = value.split(separator: "=").map(String.init)
            guard parts.count == 2,
                  diagrams.contains(where: { $0.question(parts[0])?.answers.contains { $0.value == parts[1] } ?? false }) else {
                complain(field.line, "decision-step `\(value)` names no question and answer of a diagram (question=answer)")
                return nil
            }
            return .decisionStep(question: parts[0], answer: parts[1])
        case "request-header": let (name, text) = headerExpectation(); return .requestHeader(name: name, contains: text)
        case "response-header": let (name, text) = headerExpectation(); return .responseHeader(name: name, contains: text)
        case "no-request-header": return .noRequestHeader(value)
        default:
            complain(field.line, "unknown expectation `\(kind)` (status, method, target, decision, decision-step, request-header, response-header, no-request-header)")
            return nil
        }
    }
}
