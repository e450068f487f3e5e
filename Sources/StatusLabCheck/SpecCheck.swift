import Foundation
import StatusLabClient
import StatusLabCore

/// `check --openapi`: the requests that tell 400, 401, 403 and 404 apart, planned from an OpenAPI
/// document (and an optional plan for what a spec cannot say: credentials, their scopes,
/// parameter values, who owns what), each answer held to the `auth` diagram as `check` does.
public struct SpecCheck: Sendable {
    public struct Options: Sendable {
        /// Send unsafe methods too (only with credentials that must be refused).
        public var unsafe = false
        public var concurrency = 4
        /// Requests a second at most; nil: as fast as `concurrency` allows.
        public var rate: Double?
        public init(unsafe: Bool = false, concurrency: Int = 4, rate: Double? = nil) {
            self.unsafe = unsafe
            self.concurrency = max(1, concurrency)
            self.rate = rate
        }
    }

    /// One request to send, and the facts that say what it should get.
    public struct Probe: Sendable {
        public let operation: Int
        /// The column of the matrix: "none", "malformed Bearer", "alice" …
        public let identity: String
        public let request: LabRequest
        public let facts: [[String: String]]
        public let sent: AnswerRules.Sent
        public var name: String { "\(request.method) \(request.url) (\(identity))" }
    }

    public struct Skipped: Sendable {
        public let operation: String
        public let reason: String
    }

    public let spec: APISpec
    public let plan: CheckPlan
    public let base: String
    public let auth: Diagram
    public let options: Options

    public init(spec: APISpec, plan: CheckPlan, base: String, auth: Diagram, options: Options = Options()) {
        self.spec = spec
        self.plan = plan
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.auth = auth
        self.options = options
    }

    static let safeMethods: Set<String> = ["GET", "HEAD", "OPTIONS"]

    /// Every probe, and the operations that cannot be probed with the reason.
    public func probes() -> (probes: [Probe], skipped: [Skipped]) {
        var probes: [Probe] = [], skipped: [Skipped] = []
        for (index, operation) in spec.operations.enumerated() {
            let unsafe = !Self.safeMethods.contains(operation.method)
            if unsafe, !options.unsafe {
                skipped.append(Skipped(operation: operation.label, reason: "an unsafe method, sent only with --unsafe"))
                continue
            }
            guard operation.method != "OPTIONS", operation.method != "TRACE" else {
                skipped.append(Skipped(operation: operation.label, reason: "\(operation.method) says nothing of who gets in"))
                continue
            }
            let target: (url: String, fromSamples: Bool)
            switch resolve(operation) {
            case .success(let resolved): target = resolved
            case .failure(let reason):
                skipped.append(Skipped(operation: operation.label, reason: reason.message))
                continue
            }
            for caller in callers(for: operation) {
                // A credential that could succeed is never sent with an unsafe method.
                if unsafe, caller.couldSucceed { continue }
                var request = LabRequest(method: operation.method, url: base + target.url)
                caller.apply(&request)
                probes.append(Probe(operation: index, identity: caller.identity, request: request,
                                    facts: facts(caller, operation, unknownExistence: target.fromSamples), sent: caller.sent))
            }
        }
        // The missing path, asked for by the callers of the secured operation whose template it
        // fits (else the first secured one): a hidden resource must answer exactly as it does.
        let securedOperations = spec.operations.filter { !$0.security.isPublic }
        if let missing = plan.missing,
           let secured = securedOperations.first(where: { $0.method == "GET" && Self.fits(missing, $0.path) }) ?? securedOperations.first {
            for caller in callers(for: secured) {
                var request = LabRequest(method: "GET", url: base + missing)
                caller.apply(&request)
                var facts = facts(caller, secured, unknownExistence: false)[0]
                facts["resource-exists"] = "no"
                probes.append(Probe(operation: Self.missingRow, identity: caller.identity, request: request, facts: [facts], sent: caller.sent))
            }
        }
        return (probes, skipped)
    }

    /// Whether a concrete path fits a template: the same segments, `{name}` standing for any.
    static func fits(_ path: String, _ template: String) -> Bool {
        let concrete = (path.split(separator: "?").first ?? "").split(separator: "/"), pattern = template.split(separator: "/")
        return concrete.count == pattern.count && zip(concrete, pattern).allSatisfy { $1.hasPrefix("{") || $0 == $1 }
    }

    /// The matrix row of the plan's missing path.
    public static let missingRow = -1

    struct Reason: Error { let message: String }

    /// The operation's URL with its parameters filled: from the plan's `params:` first, then the
    /// spec's example, enum or default.
    func resolve(_ operation: APISpec.Operation) -> Result<(url: String, fromSamples: Bool), Reason> {
        var path = operation.path, fromSamples = false, query: [String] = []
        for parameter in operation.parameters where parameter.location == "path" || (parameter.location == "query" && parameter.required) {
            let value: String
            if let given = plan.params[parameter.name] {
                value = given
            } else if let sample = parameter.sample {
                value = sample
                fromSamples = fromSamples || parameter.location == "path"
            } else {
                return .failure(Reason(message: "no value for the \(parameter.location) parameter `\(parameter.name)`: give one in the plan (params: { \(parameter.name): … }) or an example in the spec"))
            }
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? value
            if parameter.location == "path" {
                path = path.replacingOccurrences(of: "{\(parameter.name)}", with: encoded)
            } else {
                query.append("\(parameter.name)=\(encoded)")
            }
        }
        if let missing = path.firstMatch(of: /\{([^}]+)\}/) {
            return .failure(Reason(message: "the path names `\(missing.1)`, which no parameter describes"))
        }
        return .success((path + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), fromSamples))
    }

    /// Who a probe claims to be.
    struct Caller {
        enum Kind {
            case nobody
            case malformed(scheme: String)
            case wrong(scheme: APISpec.SchemeKind, name: String)
            case named(CheckPlan.Credential, scheme: APISpec.SchemeKind, coversScopes: Bool)
        }
        let kind: Kind

        var identity: String {
            switch kind {
            case .nobody: "none"
            case .malformed(let scheme): "malformed \(scheme)"
            case .wrong(let scheme, let name): "wrong " + (scheme.authorizationScheme ?? name)
            case .named(let credential, _, _): credential.name
            }
        }

        var couldSucceed: Bool {
            if case .named(let credential, _, let covers) = kind { return covers && !credential.expired }
            return false
        }

        var sent: AnswerRules.Sent {
            switch kind {
            case .nobody: .nothing
            case .malformed(let scheme): .malformed(scheme: scheme)
            case .wrong(let scheme, _): scheme.authorizationScheme.map { .credentials(scheme: $0, refused: true) } ?? .other
            case .named(let credential, let scheme, let covers):
                scheme.authorizationScheme.map { name in
                    covers || credential.expired ? .credentials(scheme: name, refused: credential.expired) : .lackingScope(scheme: name)
                } ?? .other
            }
        }

        func apply(_ request: inout LabRequest) {
            switch kind {
            case .nobody: break
            case .malformed(let scheme):
                request.credentials = .header(scheme == "Basic" ? "Basic !!!not-base64" : "Bearer not a token")
            case .wrong(let scheme, _):
                Self.send(scheme, secret: scheme == .basic ? "statuslab-check:wrong" : "statuslab-check-unknown-token", in: &request)
            case .named(let credential, let scheme, _):
                switch credential.kind {
                case .bearer(let token): Self.send(scheme, secret: token, in: &request)
                case .basic(let user, let password): request.credentials = .basic(user: user, password: password)
                case .cookie(let cookie): request.credentials = .session(cookie: cookie)
                case .apiKey(let key): Self.send(scheme, secret: key, in: &request)
                }
            }
        }

        static func send(_ scheme: APISpec.SchemeKind, secret: String, in request: inout LabRequest) {
            switch scheme {
            case .basic: request.credentials = .header("Basic " + Data(secret.utf8).base64EncodedString())
            case .apiKey(let name, "query"): request.url += (request.url.contains("?") ? "&" : "?") + "\(name)=\(secret)"
            case .apiKey(let name, "cookie"): request.headers.append(.init(name: "Cookie", value: "\(name)=\(secret)"))
            case .apiKey(let name, _): request.headers.append(.init(name: name, value: secret))
            default: request.credentials = .header("Bearer \(secret)")
            }
        }
    }

    /// The callers for an operation: nobody; malformed and wrong credentials in each scheme it
    /// takes; each of the plan's credentials that belongs to one of its schemes.
    func callers(for operation: APISpec.Operation) -> [Caller] {
        var callers = [Caller(kind: .nobody)]
        let alternatives: [[String: [String]]] = if case .required(let list) = operation.security { list } else { [] }
        let names = alternatives.flatMap(\.keys).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var seen: Set<String> = []
        for name in names {
            guard let scheme = spec.schemes[name] else { continue }
            if let authorization = scheme.authorizationScheme, authorization != "Digest", seen.insert(authorization).inserted {
                callers.append(Caller(kind: .malformed(scheme: authorization)))
                callers.append(Caller(kind: .wrong(scheme: scheme, name: name)))
            } else if case .apiKey = scheme, seen.insert(name).inserted {
                callers.append(Caller(kind: .wrong(scheme: scheme, name: name)))
            }
        }
        for credential in plan.credentials {
            // The scheme the credential belongs to: named in the plan, or the first of the
            // operation's (for an open one, the spec's) that takes its kind.
            let pool = operation.security.isPublic ? spec.schemes.keys.sorted() : names
            let name: String? = if let named = credential.specScheme { pool.contains(named) ? named : nil }
                else { pool.first { takes(spec.schemes[$0], credential.kind) } }
            guard let name, let scheme = spec.schemes[name] else { continue }
            if operation.security.isPublic {
                callers.append(Caller(kind: .named(credential, scheme: scheme, coversScopes: true)))
                continue
            }
            let needed = alternatives.filter { $0[name] != nil }.map { Set($0[name] ?? []) }
            let covers = credential.scopes.map { held in needed.contains { $0.isSubset(of: Set(held)) } } ?? true
            callers.append(Caller(kind: .named(credential, scheme: scheme, coversScopes: covers)))
        }
        return callers
    }

    /// Whether a scheme is sent the way a credential of `kind` is.
    func takes(_ scheme: APISpec.SchemeKind?, _ kind: CheckPlan.Credential.Kind) -> Bool {
        switch (kind, scheme) {
        case (.bearer, let scheme?): scheme.authorizationScheme == "Bearer"
        case (.basic, .basic?): true
        case (.apiKey, .apiKey(_, let location)?): location != "cookie"
        case (.cookie, .apiKey(_, "cookie")?): true
        default: false
        }
    }

    /// The `auth` diagram's facts for a caller asking for an operation; two sets when whether
    /// the resource exists is not known (an id taken from the spec's examples).
    func facts(_ caller: Caller, _ operation: APISpec.Operation, unknownExistence: Bool) -> [[String: String]] {
        let resource = plan.resources.first { $0.path == operation.path }
        let asking: APICheck.Asking = switch caller.kind {
        case .nobody: .nobody
        case .malformed: .malformed
        case .wrong: .wrong
        case .named(let credential, _, let covers):
            // A resource the plan lists: its allow list says who may (none, when empty).
            .named(expired: credential.expired, permitted: covers && (resource.map { $0.allow.contains(credential.name) } ?? true))
        }
        let facts = APICheck.facts(isPublic: operation.security.isPublic, exists: true, hidden: resource?.hidden == true, asking: asking)
        guard unknownExistence else { return [facts] }
        var missing = facts
        missing["resource-exists"] = "no"
        return [facts, missing]
    }
}
