import Foundation

/// Something wrong with one recorded exchange, by the model.
public struct TrafficFinding: Sendable, Equatable {
    /// Where the exchange is: "entry 12", "line 12".
    public let place: String
    /// `GET /notes/1 -> 403`.
    public let exchange: String
    /// What is wrong, in a few words: "403 without credentials".
    public let rule: String
    /// What the model expected, and why.
    public let detail: String
    /// The `auth` walk that gives the expected answer, when the model decided it.
    public let path: String?
    /// The reference page to read.
    public let page: String
}

/// Judges recorded traffic by the model, without knowing what the API meant to do: each
/// exchange shows some facts (were credentials sent, in which scheme, could they be parsed; is
/// this a browser navigating or a script asking for JSON), the `auth` diagram walked with them
/// says what the answer may be, and `AnswerRules` what it must carry. Across exchanges, ids are
/// folded into route templates, so that one template answering two ways can be seen.
///
/// Two passes: `learn` every exchange first (which schemes the API takes, what each template
/// answered to whom), then `judge` each.
public struct TrafficJudge {
    let auth: Diagram

    /// Schemes the API is seen to take: named in a challenge, or sent with a success.
    var acceptedSchemes: Set<String> = []
    /// For each `METHOD /template`: did an anonymous caller get 401, and which callers got 403 or 404.
    var templates: [String: Template] = [:]
    /// Findings about a template are given once, on its first exchange that shows them.
    var reported: Set<String> = []
    /// The same request refused again and again: how many 401s in a row, per request.
    var refusals: [String: Int] = [:]

    struct Template {
        var anonymous401 = false
        var forbidden: Set<String> = []
        var notFound: Set<String> = []
    }

    public init(auth: Diagram) { self.auth = auth }

    /// Every exchange of a file with what was found in it, for the Lab's log (`lab --open`).
    /// They are numbered below zero, apart from the live server's exchanges (1, 2 …).
    public static func judgedEntries(_ data: Data, auth: Diagram) throws(TrafficFile.Problem) -> [LabLogEntry] {
        var judge = TrafficJudge(auth: auth)
        var exchanges: [RecordedExchange] = []
        try TrafficFile.read(data) { judge.learn($0.entry); exchanges.append($0) }
        return exchanges.enumerated().map { index, exchange in
            var entry = exchange.entry
            entry.number = index - exchanges.count
            entry.findings = judge.judge(exchange)
            return entry
        }
    }

    public mutating func learn(_ entry: LabLogEntry) {
        let observed = ObservedRequest(entry)
        let challenges = entry.responseHeaders.filter { $0.name.lowercased() == "www-authenticate" }.map(\.value)
        for challenge in challenges { acceptedSchemes.insert(Self.scheme(of: challenge)) }
        if (200..<300).contains(entry.status), case .authorization(let scheme, true) = observed.credentials {
            acceptedSchemes.insert(scheme.lowercased())
        }
        let key = observed.template
        switch (entry.status, observed.credentials) {
        case (401, .none): templates[key, default: Template()].anonymous401 = true
        // Only callers who could be identified: unparseable credentials are refused before that.
        // A 403 for a missing scope is a different refusal from one for somebody else's resource.
        case (403, .authorization(_, true)) where !challenges.contains(where: { $0.contains("insufficient_scope") }),
             (403, .other): templates[key, default: Template()].forbidden.insert(observed.caller)
        case (404, .authorization(_, true)), (404, .other): templates[key, default: Template()].notFound.insert(observed.caller)
        default: break
        }
    }

    public mutating func judge(_ recorded: RecordedExchange) -> [TrafficFinding] {
        let entry = recorded.entry
        let observed = ObservedRequest(entry)
        let exchange = "\(entry.method) \(entry.target) -> \(entry.status)"
        var findings: [TrafficFinding] = []
        func find(_ rule: String, _ detail: String, path: String? = nil, page: String) {
            findings.append(TrafficFinding(place: recorded.place, exchange: exchange, rule: rule, detail: detail, path: path, page: page))
        }

        // What the model says, where the exchange shows enough to walk it.
        if let (record, outcome) = expected(observed) {
            let who = observed.credentials == .none ? "without credentials" : "with credentials that cannot be parsed"
            let unless = entry.status == 403 ? " A 403 is right only where the area is closed to everyone, whoever asks." : ""
            let template = templates[observed.template]
            if entry.status == 403 {
                find("403 \(who)", "expected \(outcome.status) (\(outcome.label)). \(outcome.why.plainText)\(unless)",
                     path: record.header, page: String(outcome.status))
            } else if entry.status == 404, observed.credentials == .none, template?.anonymous401 == true,
                      reported.insert("anonymous-404 " + observed.template).inserted {
                find("anonymous 404 and 401 on one route",
                     "\(observed.template) answered 401 to another anonymous request: a 404 here tells a stranger which ids exist. "
                        + "Expected \(outcome.status) (\(outcome.label)) for every id, whether it exists or not.",
                     path: record.header, page: "404")
            }
        }
        // Only a browser is sent to a login page (auth: browser=yes); whatever its credentials,
        // a script gets a challenge it can answer.
        if (300..<400).contains(entry.status), entry.status != 304, observed.client == .script, Self.looksLikeLogin(entry.responseHeaders) {
            let expectation = expected(observed).map { "expected \($0.1.status) (\($0.1.label))" }
                ?? "expected 401 with a challenge if its credentials identify nobody, and what they earn if they do"
            find("login redirect to a script",
                 "a script that asked for \(observed.accept.isEmpty ? "data" : observed.accept) cannot fill in a login form: \(expectation); only a browser navigating is sent to the login page",
                 path: expected(observed)?.0.header, page: "302")
        }

        // Across exchanges: one route, two refusals for two callers.
        if observed.couldIdentify, [403, 404].contains(entry.status), let template = templates[observed.template],
           !template.forbidden.subtracting([observed.caller]).isEmpty || !template.notFound.subtracting([observed.caller]).isEmpty,
           !template.forbidden.isEmpty, !template.notFound.isEmpty, reported.insert("403-404 " + observed.template).inserted {
            find("403 to one caller, 404 to another",
                 "\(observed.template) answered 403 to \(template.forbidden.count) caller(s) and 404 to \(template.notFound.count): "
                    + "choose one policy for a resource a caller may not have. 404 hides that it exists (someone else's, or hidden refusals); 403 says so. "
                    + "Mixing them on one route tells callers which ids exist.",
                 page: "404")
        }

        // What the answer must carry.
        let sent: AnswerRules.Sent = switch observed.credentials {
        case .none: .nothing
        case .authorization(let scheme, true): .credentials(scheme: scheme, refused: nil)
        case .authorization(let scheme, false): .malformed(scheme: scheme)
        case .other: .other
        }
        let accepted = sent.scheme.map { acceptedSchemes.contains($0.lowercased()) } ?? false
        for verdict in AnswerRules.verdicts(status: entry.status, headers: entry.responseHeaders, body: entry.responseContent,
                                            sent: sent, schemeAccepted: accepted) where !verdict.passed {
            find(Self.title(of: verdict, status: entry.status), verdict.detail, page: verdict.page)
        }

        // A 401 loop: the same credentials refused again and again for the same request (an
        // anonymous request asked again is polling, not a loop).
        let request = entry.method + " " + entry.target + " " + observed.caller
        if entry.status == 401, observed.credentials != .none {
            refusals[request, default: 0] += 1
            if refusals[request] == 3 {
                find("401 loop", "the same request with the same credentials was refused three times in a row: the client retries what cannot work, or the server refuses what it just asked for",
                     page: "401")
            }
        } else {
            refusals[request] = nil
        }
        return findings
    }

    /// The model's answer for a request that shows its facts: no credentials or unparseable ones.
    func expected(_ observed: ObservedRequest) -> (DecisionRecord, Outcome)? {
        // Only what the exchange shows: nothing about the resource beyond "not public".
        var facts = AuthFacts()
        facts.resourceExists = nil
        facts.hideForbidden = nil
        facts.clientIsBrowser = observed.client == .browser
        facts.callerIdentified = false
        switch observed.credentials {
        case .none: facts.credentials = .none
        case .authorization(_, false): facts.credentials = .malformed
        default: return nil
        }
        if observed.client == .browser, observed.credentials != .none { return nil }
        guard let (path, outcome) = try? DecisionEngine.decide(auth, facts: facts.named) else { return nil }
        return (DecisionRecord(diagram: auth, path: path, outcome: outcome), outcome)
    }

    static func title(of verdict: AnswerRules.Verdict, status: Int) -> String {
        switch verdict.rule {
        case "challenge": verdict.detail.hasPrefix("a 401 must") ? "401 without a challenge" : "challenge in another scheme"
        case "Allow": "405 without Allow"
        case "Location": "\(status) without Location"
        case "error body": "\(status) with an error body"
        default: verdict.rule
        }
    }

    static func scheme(of challenge: String) -> String {
        String(challenge.prefix { !$0.isWhitespace && $0 != "," }).lowercased()
    }

    /// A Location that leads to a login page.
    static func looksLikeLogin(_ headers: [WireResponse.Field]) -> Bool {
        guard let location = headers.first(where: { $0.name.lowercased() == "location" })?.value.lowercased() else { return false }
        return ["login", "signin", "sign-in", "sign_in", "logon", "/auth", "sso", "oauth", "authorize"].contains { location.contains($0) }
    }
}
