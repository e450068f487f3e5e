import Foundation
import StatusLabClient
import StatusLabCore

extension SpecCheck {
    /// What a spec documents that the model says it must, or must not: a 401 for a secured
    /// operation, a 403 for a scoped one, no 401 for a public one, a challenge with a 401.
    public func specFindings() -> [APICheck.Result] {
        var results: [APICheck.Result] = []
        func fail(_ operation: APISpec.Operation, _ what: String, _ page: String) {
            results.append(APICheck.Result(name: "spec: \(operation.label): \(what)", passed: false, detail: what, path: nil, page: page))
        }
        for operation in spec.operations {
            switch operation.security {
            case .required(let alternatives):
                if !operation.documents(401) {
                    fail(operation, "secured, but documents no 401: clients need to know how a missing or wrong credential is answered (RFC 9110 §15.5.2)", "401")
                }
                if alternatives.contains(where: { $0.values.contains { !$0.isEmpty } }), !operation.documents(403) {
                    fail(operation, "needs scopes, but documents no 403 for a token without them (RFC 6750 §3.1)", "403")
                }
            case .open:
                if operation.responses.contains(where: { $0.code == "401" }) {
                    fail(operation, "open to all (security: []), yet documents a 401: a public operation never asks who is calling", "401")
                }
            case .optional: break
            }
            if operation.responses.contains(where: { $0.code == "401" && !$0.challenge }) {
                fail(operation, "documents a 401 without a WWW-Authenticate header: every 401 carries one (RFC 9110 §15.5.2)", "www-authenticate")
            }
        }
        return results
    }

    /// One cell of the matrix: what one caller got from one operation, and what the model said.
    public struct Cell: Sendable {
        public let status: Int?
        public let expected: [Int]
        public let passed: Bool
    }

    public struct Report: Sendable {
        public let check: SpecCheck
        public let skipped: [Skipped]
        public let specFindings: [APICheck.Result]
        public let results: [APICheck.Result]
        /// Operation index → identity → cell.
        public let cells: [Int: [String: Cell]]
        public let identities: [String]

        public var failed: Bool { !specFindings.isEmpty || results.contains { !$0.passed } }
    }

    /// Sends every probe (at most `concurrency` at once, `rate` a second) and grades each
    /// answer. Each GET operation is also asked for once as HEAD, without credentials: HEAD must
    /// answer as GET does (a server that does not take HEAD at all would otherwise fail once per
    /// caller).
    public func run(client: LabClient = LabClient()) async -> Report {
        let (probes, skipped) = self.probes()
        let heads = probes.indices.filter { probes[$0].request.method == "GET" && probes[$0].identity == "none" }
        let requests = probes.map(\.request) + heads.map { LabRequest(method: "HEAD", url: probes[$0].request.url) }
        let answers = await send(requests, client: client)
        var results: [APICheck.Result] = [], cells: [Int: [String: Cell]] = [:], identities: [String] = []
        for (probe, answer) in zip(probes, answers) {
            let graded = APICheck.grade(answer, name: probe.name, facts: probe.facts, sent: probe.sent, auth: auth)
            results += graded
            let expected = probe.facts.compactMap { try? DecisionEngine.decide(auth, facts: $0).outcome.status }
            cells[probe.operation, default: [:]][probe.identity] = Cell(status: APICheck.answer(answer)?.status, expected: expected,
                                                                         passed: graded.first?.passed ?? false)
            if !identities.contains(probe.identity) { identities.append(probe.identity) }
        }
        for (index, head) in zip(heads, answers[probes.count...]) {
            let name = "HEAD \(probes[index].request.url) (none)"
            if let get = APICheck.answer(answers[index]), let headAnswer = APICheck.answer(head) {
                results.append(APICheck.headMatches(get: get, head: headAnswer, name: name))
            } else {
                results.append(APICheck.Result(name: name, passed: false, detail: head.final?.failure ?? "no answer", path: nil, page: nil))
            }
        }
        results += hiddenLikeMissing(probes: probes, answers: answers)
        // Columns: nobody, then the credentials that must be refused, then the plan's.
        let named = plan.credentials.map(\.name)
        identities.sort { rank($0, named) < rank($1, named) }
        return Report(check: self, skipped: skipped, specFindings: specFindings(), results: results, cells: cells, identities: identities)
    }

    func rank(_ identity: String, _ named: [String]) -> Int {
        if identity == "none" { return 0 }
        if let index = named.firstIndex(of: identity) { return 100 + index }
        return identity.hasPrefix("malformed") ? 1 : 2
    }

    /// A hidden resource answers a caller who may not have it exactly as the missing path does:
    /// the same status and the same body shape.
    func hiddenLikeMissing(probes: [Probe], answers: [LabResult]) -> [APICheck.Result] {
        guard let missing = plan.missing else { return [] }
        var results: [APICheck.Result] = []
        let missingAnswers = Dictionary(zip(probes, answers).filter { $0.0.operation == Self.missingRow }.map { ($0.0.identity, $0.1) },
                                        uniquingKeysWith: { first, _ in first })
        for (probe, answer) in zip(probes, answers) where probe.operation >= 0 {
            let operation = spec.operations[probe.operation]
            guard let resource = plan.resources.first(where: { $0.path == operation.path && $0.hidden }), !resource.allow.contains(probe.identity),
                  let got = APICheck.answer(answer), let other = missingAnswers[probe.identity].flatMap(APICheck.answer) else { continue }
            let same = got.status == other.status && APICheck.shape(got) == APICheck.shape(other)
            results.append(APICheck.Result(name: "\(operation.label) hidden like \(missing) (\(probe.identity))", passed: same,
                                           detail: same ? "the same answer as a missing path" :
                                            "a hidden resource must answer exactly as a missing one: \(missing) gave \(other.status) \(APICheck.shape(other)), \(probe.request.url) gave \(got.status) \(APICheck.shape(got))",
                                           path: nil, page: "404"))
        }
        return results
    }

    /// Sends `requests` at most `concurrency` at a time, starting at most `rate` a second;
    /// answers in the order asked.
    func send(_ requests: [LabRequest], client: LabClient) async -> [LabResult] {
        let concurrency = options.concurrency, rate = options.rate, start = ContinuousClock.now
        return await withTaskGroup(of: (Int, LabResult).self) { group in
            var answers = [LabResult?](repeating: nil, count: requests.count)
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    if let rate, rate > 0 { try? await Task.sleep(until: start + .seconds(Double(index) / rate)) }
                    return (index, await client.send(requests[index], base: nil))
                }
            }
            while next < min(concurrency, requests.count) { add() }
            for await (index, answer) in group {
                answers[index] = answer
                if next < requests.count { add() }
            }
            return answers.map { $0! }
        }
    }
}

extension SpecCheck.Report {
    public func render(_ format: CheckReport.Format, insecure: Bool = false) -> String {
        switch format {
        case .text: return CheckReport.warned(text, insecure: insecure)
        case .json: return json(insecure: insecure)
        case .junit: return CheckReport.render(specFindings + results, format: .junit, base: check.base, insecure: insecure)
        }
    }

    /// `200`, or `403 ≠ 401` where the model expects otherwise.
    static func describe(_ cell: SpecCheck.Cell?) -> String {
        guard let cell else { return "·" }
        let got = cell.status.map(String.init) ?? "—"
        return cell.passed ? got : got + "≠" + Set(cell.expected).sorted().map(String.init).joined(separator: "|")
    }

    var text: String {
        let operations = check.spec.operations
        var lines = ["\(check.spec.title): \(operations.count) operations, \(operations.count - skipped.count) probed at \(check.base)"]
        if !skipped.isEmpty {
            lines.append("")
            lines.append("Not probed")
            for skip in skipped { lines.append("  \(skip.operation): \(skip.reason)") }
        }
        if !specFindings.isEmpty {
            lines.append("")
            lines.append("What the spec documents")
            for finding in specFindings { lines.append("  FAIL \(finding.name.dropFirst(6))") }
        }
        // The matrix: operations down, callers across; the documented codes at the end.
        let probed = (Array(operations.indices) + [SpecCheck.missingRow]).filter { cells[$0] != nil }
        func label(_ index: Int) -> String { index == SpecCheck.missingRow ? "GET \(check.plan.missing ?? "") (missing)" : operations[index].label }
        if !probed.isEmpty {
            let first = max(probed.map { label($0).count }.max() ?? 0, 9)
            let widths = identities.map { identity in max(identity.count, probed.map { Self.describe(cells[$0]?[identity]).count }.max() ?? 0) }
            func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
            lines.append("")
            lines.append("Answers (≠ what the model expects; documents: what the spec lists)")
            lines.append("  " + pad("", first) + "  " + zip(identities, widths).map { pad($0, $1) }.joined(separator: "  ") + "  documents")
            for index in probed {
                let row = zip(identities, widths).map { pad(Self.describe(cells[index]?[$0]), $1) }
                let documents = index == SpecCheck.missingRow ? "" : operations[index].responses.map(\.code).joined(separator: " ")
                lines.append("  " + pad(label(index), first) + "  " + row.joined(separator: "  ") + "  " + documents)
            }
        }
        let failures = results.filter { !$0.passed }
        if !failures.isEmpty {
            lines.append("")
            for result in failures {
                lines.append("FAIL  " + result.name)
                lines.append("      " + result.detail)
                if let path = result.path { lines.append("      decision: \(path)") }
                if let page = result.page { lines.append("      read: statuslab explain \(page)") }
            }
        }
        lines.append("")
        lines.append("\(results.count - failures.count) passed, \(failures.count) failed; \(specFindings.count) spec finding\(specFindings.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n") + "\n"
    }

    func json(insecure: Bool) -> String {
        let operations: [[String: Any]] = check.spec.operations.enumerated().map { index, operation in
            var entry: [String: Any] = ["method": operation.method, "path": operation.path, "documents": operation.responses.map(\.code)]
            if let skip = skipped.first(where: { $0.operation == operation.label }) { entry["skipped"] = skip.reason }
            if let row = cells[index] {
                entry["answers"] = row.mapValues { cell -> [String: Any] in
                    var value: [String: Any] = ["expected": cell.expected, "passed": cell.passed]
                    if let status = cell.status { value["status"] = status }
                    return value
                }
            }
            return entry
        }
        let failed = results.filter { !$0.passed }.count
        return CheckReport.jsonText(["base": check.base, "spec": check.spec.title, "operations": operations,
                                     "checks": CheckReport.jsonChecks(specFindings + results), "passed": results.count - failed,
                                     "failed": failed, "spec_findings": specFindings.count], insecure: insecure)
    }
}
