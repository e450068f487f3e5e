import Foundation
import StatusLabCore
import Yams

/// What `statuslab check` is told about an API: where it is, the credentials to try, its
/// resources and who may have them, and a path that does not exist.
public struct CheckPlan: Sendable {
    public struct Credential: Sendable {
        public enum Kind: Sendable, Equatable {
            case bearer(String)
            case basic(user: String, password: String)
            case cookie(String)
            /// An API key, sent where the spec's apiKey scheme says.
            case apiKey(String)
        }
        public let name: String
        public let kind: Kind
        /// The plan says this credential has expired (or been revoked).
        public let expired: Bool
        /// The spec's security scheme this credential belongs to (`scheme:`), for `--openapi`.
        public var specScheme: String? = nil
        /// The scopes it holds (`scopes:`); nil when the plan does not say.
        public var scopes: [String]? = nil

        public var scheme: String {
            switch kind {
            case .bearer: "Bearer"
            case .basic: "Basic"
            case .cookie: "Cookie"
            case .apiKey: "ApiKey"
            }
        }
    }

    public struct Resource: Sendable {
        public let path: String
        public let allow: [String]
        public let hidden: Bool
        public let isPublic: Bool
        public let methods: [String]
        public let line: Int
    }

    public let base: String
    public let credentials: [Credential]
    public let resources: [Resource]
    public let missing: String?
    /// Values for path (and query) parameters by name, for `--openapi`.
    public var params: [String: String] = [:]

    /// A problem with the plan itself, at a line of the file.
    public struct Problem: Error, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "\(line): \(message)" }
    }

    /// Reads a plan; the first problem found is thrown with its line.
    /// `forSpec`: the plan goes with an OpenAPI document, which gives the base and the
    /// resources, so neither is required.
    public static func parse(_ text: String, forSpec: Bool = false) throws(Problem) -> CheckPlan {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw Problem(line: 1, message: "the plan is empty") }
            root = node
        } catch let problem as Problem {
            throw problem
        } catch let error as YamlError {
            throw Problem(line: Self.line(of: error), message: "not YAML: \(error)")
        } catch {
            throw Problem(line: 1, message: "not YAML: \(error)")
        }
        guard case .mapping(let top) = root else { throw Problem(line: line(root), message: "a plan is a mapping with base, credentials, resources and missing") }
        for (key, _) in top where !["base", "credentials", "resources", "missing", "params"].contains(key.string ?? "") {
            throw Problem(line: line(key), message: "unknown key `\(key.string ?? "")` (known: base, credentials, missing, params, resources)")
        }
        let base = top["base"]?.string ?? ""
        if base.isEmpty, !forSpec {
            throw Problem(line: line(root), message: "`base:` is required: the URL of the API, such as http://127.0.0.1:3000")
        }
        if let baseNode = top["base"], !base.isEmpty {
            do { _ = try LabRequest(url: base).target(base: nil) } catch {
                throw Problem(line: line(baseNode), message: "base: \(error.description)")
            }
        }
        var params: [String: String] = [:]
        if let node = top["params"] {
            guard case .mapping(let entries) = node else { throw Problem(line: line(node), message: "`params:` maps a parameter name to a value, such as { note_id: 1 }") }
            for (key, value) in entries {
                guard let name = key.string, let text = value.string else { throw Problem(line: line(key), message: "a parameter's value is a string or a number") }
                params[name] = text
            }
        }

        var credentials: [Credential] = []
        if let node = top["credentials"] {
            guard case .mapping(let entries) = node else { throw Problem(line: line(node), message: "`credentials:` maps a name to { bearer: …, basic: …, cookie: … }") }
            for (key, value) in entries {
                guard let name = key.string, case .mapping(let fields) = value else {
                    throw Problem(line: line(key), message: "a credential is `name: { bearer: token }`, `{ basic: \"user:password\" }`, `{ cookie: \"name=value\" }` or `{ apikey: key }`")
                }
                let expired = fields["expired"]?.bool ?? false
                let kind: Credential.Kind
                if let token = fields["bearer"]?.string {
                    kind = .bearer(token)
                } else if let pair = fields["basic"]?.string {
                    let parts = pair.split(separator: ":", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { throw Problem(line: line(value), message: "basic is \"user:password\"") }
                    kind = .basic(user: parts[0], password: parts[1])
                } else if let cookie = fields["cookie"]?.string {
                    kind = .cookie(cookie)
                } else if let key = fields["apikey"]?.string {
                    kind = .apiKey(key)
                } else {
                    throw Problem(line: line(value), message: "credential `\(name)` needs bearer:, basic:, cookie: or apikey:")
                }
                for (field, _) in fields where !["bearer", "basic", "cookie", "apikey", "expired", "scheme", "scopes"].contains(field.string ?? "") {
                    throw Problem(line: line(field), message: "unknown key `\(field.string ?? "")` in credential `\(name)` (bearer, basic, cookie, apikey, expired, scheme, scopes)")
                }
                var credential = Credential(name: name, kind: kind, expired: expired)
                credential.specScheme = fields["scheme"]?.string
                if let node = fields["scopes"] {
                    guard case .sequence(let items) = node else { throw Problem(line: line(node), message: "scopes is a list, such as [notes:read]") }
                    credential.scopes = items.compactMap(\.string)
                }
                credentials.append(credential)
            }
        }

        var items: [Node] = []
        if let resourcesNode = top["resources"], case .sequence(let list) = resourcesNode { items = Array(list) }
        if items.isEmpty, !forSpec {
            throw Problem(line: line(root), message: "`resources:` is required: a list of { path: …, allow: [names] } or { path: …, public: true }")
        }
        var resources: [Resource] = []
        for item in items {
            guard case .mapping(let fields) = item, let path = fields["path"]?.string, path.hasPrefix("/") else {
                throw Problem(line: line(item), message: "a resource needs `path:` starting with /")
            }
            for (field, _) in fields where !["path", "allow", "hidden", "public", "methods"].contains(field.string ?? "") {
                throw Problem(line: line(field), message: "unknown key `\(field.string ?? "")` in a resource (path, allow, hidden, public, methods)")
            }
            var allow: [String] = []
            if let node = fields["allow"] {
                guard case .sequence(let names) = node else { throw Problem(line: line(node), message: "allow is a list of credential names") }
                for name in names {
                    guard let text = name.string, credentials.contains(where: { $0.name == text }) else {
                        throw Problem(line: line(name), message: "`\(name.string ?? "")` is not a credential of this plan")
                    }
                    allow.append(text)
                }
            }
            var methods = ["GET"]
            if let node = fields["methods"] {
                guard case .sequence(let names) = node else { throw Problem(line: line(node), message: "methods is a list, such as [GET, DELETE]") }
                methods = names.compactMap { $0.string?.uppercased() }
            }
            let isPublic = fields["public"]?.bool ?? false
            if isPublic, !allow.isEmpty { throw Problem(line: line(item), message: "a public resource has no allow list") }
            resources.append(Resource(path: path, allow: allow, hidden: fields["hidden"]?.bool ?? false, isPublic: isPublic,
                                      methods: methods, line: line(item)))
        }
        let missing = top["missing"]?.string
        if resources.contains(where: \.hidden), missing == nil {
            throw Problem(line: line(root), message: "a hidden resource is compared with `missing:`, a path that does not exist; add one")
        }
        var plan = CheckPlan(base: base, credentials: credentials, resources: resources, missing: missing)
        plan.params = params
        return plan
    }

    private static func line(_ node: Node) -> Int { (node.mark?.line ?? 0) + (node.mark == nil ? 1 : 0) }

    private static func line(of error: YamlError) -> Int {
        if let match = "\(error)".firstMatch(of: /line (\d+)/), let line = Int(match.1) { return line }
        return 1
    }
}
