import Foundation
import StatusLabClient
import StatusLabCore

/// Grades an API by the decision model: for each resource of a plan it sends the requests that
/// tell 400, 401, 403, 404 and 3xx apart, walks the `auth` diagram with the facts the plan
/// states for each, and holds every answer to the diagram's outcome (or a defensible
/// alternative it lists), the challenge a 401 must carry, RFC 6750's error codes, and more.
public struct APICheck: Sendable {
    public struct Result: Sendable {
        public let name: String
        public let passed: Bool
        /// What was expected and what came back, for a failure; the alternative taken, for a pass.
        public let detail: String
        public let path: String?
        public let page: String?
    }

    let plan: CheckPlan
    let auth: Diagram
    let client: LabClient

    public init(plan: CheckPlan, auth: Diagram, client: LabClient = LabClient()) {
        self.plan = plan
        self.auth = auth
        self.client = client
    }

    /// Who a request claims to be.
    enum Caller {
        case nobody
        case malformed(scheme: String, header: String)
        case wrong(scheme: String, header: String)
        case named(CheckPlan.Credential)

        var label: String {
            switch self {
            case .nobody: "no credentials"
            case .malformed(let scheme, _): "malformed \(scheme) credentials"
            case .wrong(let scheme, _): "wrong \(scheme) credentials"
            case .named(let credential): "as \(credential.name)"
            }
        }
    }

    var callers: [Caller] {
        let schemes = Set(plan.credentials.map(\.scheme))
        var callers: [Caller] = [.nobody]
        if schemes.contains("Bearer") || schemes.isEmpty {
            callers.append(.malformed(scheme: "Bearer", header: "Bearer not a token"))
            callers.append(.wrong(scheme: "Bearer", header: "Bearer statuslab-check-unknown-token"))
        }
        if schemes.contains("Basic") {
            callers.append(.malformed(scheme: "Basic", header: "Basic !!!not-base64"))
            callers.append(.wrong(scheme: "Basic", header: "Basic " + Data("statuslab-check:wrong".utf8).base64EncodedString()))
        }
        return callers + plan.credentials.map(Caller.named)
    }

    func request(_ method: String, _ path: String, as caller: Caller) -> LabRequest {
        var request = LabRequest(method: method, url: plan.base.trimmingSuffix("/") + path)
        switch caller {
        case .nobody: break
        case .malformed(_, let header), .wrong(_, let header): request.credentials = .header(header)
        case .named(let credential):
            switch credential.kind {
            case .bearer(let token): request.credentials = .header("Bearer \(token)")
            case .basic(let user, let password): request.credentials = .basic(user: user, password: password)
            case .cookie(let cookie): request.credentials = .session(cookie: cookie)
            // Without a spec to say where, an API key goes in the header most APIs use.
            case .apiKey(let key): request.headers.append(.init(name: "X-API-Key", value: key))
            }
        }
        return request
    }

    /// The auth diagram's facts for `caller` asking for `resource` (nil: the missing path).
    func facts(_ caller: Caller, _ resource: CheckPlan.Resource?) -> [String: String] {
        let asking: Asking = switch caller {
        case .nobody: .nobody
        case .malformed: .malformed
        case .wrong: .wrong
        case .named(let credential): .named(expired: credential.expired, permitted: resource.map { $0.allow.contains(credential.name) } ?? false)
        }
        return Self.facts(isPublic: resource?.isPublic == true, exists: resource != nil, hidden: resource?.hidden == true, asking: asking)
    }

    /// What a check knows of who asks: the `auth` facts it sets.
    enum Asking {
        case nobody, malformed, wrong
        case named(expired: Bool, permitted: Bool)
    }

    /// The `auth` diagram's facts for a request `check` sends (`check` is a script, and nothing
    /// is closed to all, hidden from strangers or blocked unless a plan says so).
    static func facts(isPublic: Bool, exists: Bool, hidden: Bool, asking: Asking) -> [String: String] {
        var facts = AuthFacts()
        facts.resourcePublic = isPublic
        facts.resourceExists = exists
        facts.hideForbidden = hidden
        facts.loginByRedirect = nil
        facts.identityBlocked = false
        facts.ownedBySomeoneElse = false
        switch asking {
        case .nobody: facts.credentials = .none
        case .malformed: facts.credentials = .malformed
        case .wrong: facts.credentials = .checked("wrong")
        case .named(let expired, let permitted):
            facts.credentials = .checked(expired ? "expired" : "valid")
            facts.permissionHeld = permitted
        }
        return facts.named
    }

    public func run() async -> [Result] {
        var results: [Result] = []
        // The base must answer at all, or nothing else is worth trying.
        let probe = await client.send(request("GET", plan.resources[0].path, as: .nobody), base: nil)
        if let failure = probe.final?.failure, probe.final?.response == nil {
            return [Result(name: "reach \(plan.base)", passed: false, detail: "\(failure). Is the API running at \(plan.base)?", path: nil, page: nil)]
        }
        var missingAnswers: [String: WireResponse] = [:]
        if let missing = plan.missing {
            for caller in callers {
                let sent = await client.send(request("GET", missing, as: caller), base: nil)
                if let response = Self.answer(sent) { missingAnswers[caller.label] = response }
                results += judge(sent, name: "GET \(missing) (\(caller.label))", facts: facts(caller, nil), caller: caller)
            }
        }
        for resource in plan.resources {
            for method in resource.methods {
                for caller in callers {
                    let name = "\(method) \(resource.path) (\(caller.label))"
                    let sent = await client.send(request(method, resource.path, as: caller), base: nil)
                    results += judge(sent, name: name, facts: facts(caller, resource), caller: caller)
                    guard let response = Self.answer(sent) else { continue }
                    if method == "GET" {
                        // HEAD is judged by the model like GET; matching GET is a check of its own.
                        let headName = "HEAD \(resource.path) (\(caller.label))"
                        let head = await client.send(request("HEAD", resource.path, as: caller), base: nil)
                        results += judge(head, name: headName, facts: facts(caller, resource), caller: caller)
                        if let headResponse = Self.answer(head) {
                            results.append(Self.headMatches(get: response, head: headResponse, name: headName))
                        }
                    }
                    if resource.hidden, method == "GET", let missing = missingAnswers[caller.label],
                       !(caller.isNamed(in: resource.allow)) {
                        let same = missing.status == response.status && Self.shape(missing) == Self.shape(response)
                        results.append(Result(name: "\(resource.path) hidden like \(plan.missing ?? "") (\(caller.label))", passed: same,
                                              detail: same ? "the same answer as a missing path" :
                                                "a hidden resource must answer exactly as a missing one: \(plan.missing ?? "") gave \(missing.status) \(Self.shape(missing)), \(resource.path) gave \(response.status) \(Self.shape(response))",
                                              path: nil, page: "404"))
                    }
                }
            }
        }
        return results
    }

    /// The response, if it came whole: one the server cut short (a `Content-Length` not met, a
    /// connection closed mid-body) is a failed probe, not an answer to grade. One the Lab cut at
    /// its own size limit is whole as far as the status and headers go.
    static func answer(_ sent: LabResult) -> WireResponse? {
        guard let final = sent.final, let response = final.response else { return nil }
        return final.failure == nil || final.truncated ? response : nil
    }

    /// HEAD answers as GET does, without content (RFC 9110 §9.3.2).
    static func headMatches(get: WireResponse, head: WireResponse, name: String) -> Result {
        Result(name: "\(name): as GET", passed: head.status == get.status && head.body.isEmpty,
               detail: "HEAD answers as GET does, without content (RFC 9110 §9.3.2): GET gave \(get.status), HEAD \(head.status)"
                + (head.body.isEmpty ? "" : " with \(head.body.count) bytes of content"),
               path: nil, page: "405")
    }

    /// The body's shape, for comparing a hidden resource with a missing one: its media type and,
    /// for JSON, its member names.
    static func shape(_ response: WireResponse) -> String {
        let type = (response.header("Content-Type") ?? "").split(separator: ";").first.map(String.init) ?? ""
        if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] {
            return type + " {" + object.keys.sorted().joined(separator: ", ") + "}"
        }
        return type
    }

    /// Every check one answer gets.
    func judge(_ sent: LabResult, name: String, facts: [String: String], caller: Caller) -> [Result] {
        Self.grade(sent, name: name, facts: [facts], sent: caller.sent, auth: auth)
    }

    /// Every check one answer gets: its status against the `auth` diagram walked with `facts`
    /// (several sets when a fact is not known, as whether an id from a spec's example exists:
    /// any of their outcomes passes), and `AnswerRules`.
    static func grade(_ result: LabResult, name: String, facts: [[String: String]], sent: AnswerRules.Sent, auth: Diagram) -> [Result] {
        guard let response = answer(result) else {
            let failure = result.final?.failure ?? "no answer"
            let partial = result.final?.response.map { " (a \($0.status) began, but a response cut short is a failed probe, not an answer)" } ?? ""
            return [Result(name: name, passed: false, detail: failure + partial, path: nil, page: nil)]
        }
        let decided = facts.compactMap { try? DecisionEngine.decide(auth, facts: $0) }
        guard let first = decided.first else {
            return [Result(name: name, passed: false, detail: "the auth diagram cannot decide this case", path: nil, page: nil)]
        }
        var results: [Result] = []
        let status = response.status
        if let (path, outcome) = decided.first(where: { $0.outcome.status == status }) {
            results.append(Result(name: name, passed: true, detail: "\(StatusRegistry.statusText(status)) (\(outcome.label))",
                                  path: DecisionRecord(diagram: auth, path: path, outcome: outcome).header, page: String(outcome.status)))
        } else if let (path, outcome) = decided.first(where: { $0.outcome.alternatives.contains { $0.status == status } }),
                  let alternative = outcome.alternatives.first(where: { $0.status == status }) {
            results.append(Result(name: name, passed: true, detail: "\(StatusRegistry.statusText(status)), a defensible alternative to \(outcome.status): \(alternative.reason.plainText)",
                                  path: DecisionRecord(diagram: auth, path: path, outcome: outcome).header, page: String(status)))
        } else {
            let expected = decided.map { "\(StatusRegistry.statusText($0.outcome.status)) (\($0.outcome.label))" }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let others = decided.flatMap { $0.outcome.alternatives.map { String($0.status) } }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let also = others.isEmpty ? "" : " or one of \(others.joined(separator: ", "))"
            results.append(Result(name: name, passed: false,
                                  detail: "expected \(expected.joined(separator: " or "))\(also), got \(StatusRegistry.statusText(status)). Why: \(first.outcome.why.plainText)",
                                  path: DecisionRecord(diagram: auth, path: first.path, outcome: first.outcome).header, page: String(first.outcome.status)))
        }
        for verdict in AnswerRules.verdicts(status: status, headers: response.headers, body: response.body, sent: sent) {
            results.append(Result(name: "\(name): \(verdict.rule)", passed: verdict.passed, detail: verdict.detail, path: nil, page: verdict.page))
        }
        return results
    }
}

extension APICheck.Caller {
    /// What the answer's rules need to know of this caller.
    var sent: AnswerRules.Sent {
        switch self {
        case .nobody: .nothing
        case .malformed(let scheme, _): .malformed(scheme: scheme)
        case .wrong(let scheme, _): .credentials(scheme: scheme, refused: true)
        case .named(let credential):
            ["Cookie", "ApiKey"].contains(credential.scheme) ? .other : .credentials(scheme: credential.scheme, refused: credential.expired ? true : false)
        }
    }

    func isNamed(in names: [String]) -> Bool {
        if case .named(let credential) = self { return names.contains(credential.name) }
        return false
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
