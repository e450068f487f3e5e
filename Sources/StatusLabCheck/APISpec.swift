import Foundation
import OpenAPIKit
import OpenAPIKit30
import OpenAPIKitCompat
import StatusLabClient
import StatusLabCore
import Yams

/// What `check --openapi` needs of an OpenAPI document, read with OpenAPIKit: the operations,
/// their parameters, who may call them (security schemes and scopes) and the responses they
/// document. OpenAPI 3.0 is converted to 3.1 first; local `$ref`s are followed, remote ones
/// refused.
public struct APISpec: Sendable {
    public enum SchemeKind: Sendable, Equatable {
        case basic, bearer, digest
        case apiKey(name: String, location: String)
        /// OAuth 2 and OpenID Connect: a Bearer token in the end.
        case oauth2(scopes: [String])
        case openIdConnect
        case other(String)

        /// The `Authorization` scheme a credential of this kind is sent in.
        public var authorizationScheme: String? {
            switch self {
            case .basic: "Basic"
            case .bearer, .oauth2, .openIdConnect: "Bearer"
            case .digest: "Digest"
            case .apiKey, .other: nil
            }
        }
    }

    public struct Parameter: Sendable {
        public let name: String
        public let location: String
        public let required: Bool
        /// A value from the spec's `example`, `examples`, `enum` or `default`.
        public let sample: String?
    }

    /// Who may call an operation: anyone, anyone with or without credentials (an empty
    /// requirement among the alternatives), or one of the alternatives, each a set of schemes
    /// with the scopes it needs.
    public enum Security: Sendable, Equatable {
        case open
        case optional
        case required([[String: [String]]])

        public var isPublic: Bool { self == .open || self == .optional }
    }

    public struct Operation: Sendable {
        public let method: String
        public let path: String
        public let id: String?
        public let parameters: [Parameter]
        public let security: Security
        /// Documented status codes ("401", "4XX", "default") and whether each declares
        /// `WWW-Authenticate`.
        public let responses: [(code: String, challenge: Bool)]

        public var label: String { "\(method) \(path)" }
        public func documents(_ status: Int) -> Bool {
            responses.contains { $0.code == String(status) || $0.code == "\(status / 100)XX" }
        }
    }

    public let title: String
    public let servers: [String]
    public let schemes: [String: SchemeKind]
    public let operations: [Operation]

    public struct Problem: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Reads a spec from a file or an http(s) URL (`client` says how certificates are checked).
    public static func load(_ source: String, client: LabClient = LabClient()) async throws(Problem) -> APISpec {
        let text: String
        if source.hasPrefix("http://") || source.hasPrefix("https://") {
            let result = await client.send(LabRequest(url: source), base: nil)
            guard let response = result.final?.response, result.final?.failure == nil else {
                throw Problem(message: result.final?.failure ?? "no answer")
            }
            guard (200..<300).contains(response.status) else {
                throw Problem(message: "answered \(StatusRegistry.statusText(response.status)), not the spec")
            }
            text = String(decoding: response.body, as: UTF8.self)
        } else {
            do { text = try String(contentsOfFile: source, encoding: .utf8) } catch {
                throw Problem(message: FileManager.default.fileExists(atPath: source) ? "cannot be read: \(error.localizedDescription)" : "no such file")
            }
        }
        return try parse(text)
    }

    public static func parse(_ text: String) throws(Problem) -> APISpec {
        let trimmed = text.drop { $0.isWhitespace }
        // What the file claims to be, before asking OpenAPIKit for the whole of it.
        let top: [String: Any]
        do {
            if trimmed.first == "{" {
                guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { throw Problem(message: "") }
                top = object
            } else {
                guard let object = try Yams.load(yaml: text) as? [String: Any] else {
                    throw Problem(message: "not an OpenAPI document: the file is not a YAML or JSON mapping")
                }
                top = object
            }
        } catch let problem as Problem {
            throw Problem(message: problem.message.isEmpty ? "not an OpenAPI document: the file is not a JSON object" : problem.message)
        } catch {
            throw Problem(message: "neither YAML nor JSON: \(Self.firstLine(of: error))")
        }
        if top["swagger"] != nil {
            throw Problem(message: "this is a Swagger 2.0 document, which StatusLab does not read: convert it to OpenAPI 3 first (for example with swagger2openapi, or editor.swagger.io's Convert)")
        }
        guard let version = top["openapi"] as? String else {
            throw Problem(message: "not an OpenAPI document: there is no `openapi:` version field")
        }
        if let remote = Self.remoteReference(in: top) {
            throw Problem(message: "the $ref `\(remote)` points outside this file; StatusLab follows only references within it (#/components/…). Bundle the spec into one file first (for example with `redocly bundle`)")
        }
        let document: OpenAPIKit.OpenAPI.Document
        do {
            let data = Data(text.utf8)
            let json = trimmed.first == "{"
            // Vendor extensions (x-…) are not read: decoding them looks at every member of every
            // object again, and it was most of the time a large spec took (docs/BENCHMARKS.md).
            // (OpenAPIKit30's key is the same key.)
            let skipExtensions: [CodingUserInfoKey: any Sendable] = [OpenAPIKit.VendorExtensionsConfiguration.enabledKey: false]
            let jsonDecoder = JSONDecoder()
            jsonDecoder.userInfo = skipExtensions
            let yamlDecoder = YAMLDecoder()
            if version.hasPrefix("3.0") {
                let old = json ? try jsonDecoder.decode(OpenAPIKit30.OpenAPI.Document.self, from: data)
                    : try yamlDecoder.decode(OpenAPIKit30.OpenAPI.Document.self, from: text, userInfo: skipExtensions)
                document = old.convert(to: .v3_1_1)
            } else {
                document = json ? try jsonDecoder.decode(OpenAPIKit.OpenAPI.Document.self, from: data)
                    : try yamlDecoder.decode(OpenAPIKit.OpenAPI.Document.self, from: text, userInfo: skipExtensions)
            }
        } catch {
            throw Problem(message: "not a valid OpenAPI \(version) document: \(OpenAPIKit.OpenAPI.Error(from: error).localizedDescription)")
        }
        let resolved: OpenAPIKit.DereferencedDocument
        do {
            resolved = try Self.withoutBodies(document).locallyDereferenced()
        } catch {
            let text = "\(error)"
            if let cycle = text.firstMatch(of: /reference at '([^']+)'/) {
                throw Problem(message: "the $ref `\(cycle.1)` leads back to itself (a reference cycle); StatusLab cannot resolve the document")
            }
            throw Problem(message: "a $ref in the document cannot be resolved: \(Self.firstLine(of: error))")
        }
        return APISpec(document: document, resolved: resolved)
    }

    init(document: OpenAPIKit.OpenAPI.Document, resolved: OpenAPIKit.DereferencedDocument) {
        title = document.info.title
        servers = document.servers.map { $0.urlTemplate.absoluteString }
        var schemes: [String: SchemeKind] = [:]
        for (name, entry) in document.components.securitySchemes {
            guard let scheme = entry.b ?? (entry.a.flatMap { try? document.components.lookup($0) }) else { continue }
            schemes[name.rawValue] = Self.kind(scheme)
        }
        self.schemes = schemes
        operations = resolved.resolvedEndpoints().map { endpoint in
            let security: Security
            if endpoint.security.isEmpty {
                security = .open
            } else if endpoint.security.contains(where: { $0.schemes.isEmpty }) {
                security = .optional
            } else {
                security = .required(endpoint.security.map { requirement in
                    requirement.schemes.mapValues(\.requiredScopes)
                })
            }
            let parameters = endpoint.parameters.map { parameter in
                Parameter(name: parameter.name, location: Self.location(parameter.underlyingParameter.location),
                          required: parameter.required, sample: Self.sample(parameter))
            }
            let responses = endpoint.responses.map { code, response in
                (code: code.rawValue, challenge: response.headers?.keys.contains { $0.lowercased() == "www-authenticate" } ?? false)
            }
            return Operation(method: endpoint.method.rawValue.uppercased(), path: endpoint.path.rawValue, id: endpoint.operationId,
                             parameters: parameters, security: security, responses: responses)
        }.sorted { ($0.path, Self.methodOrder($0.method)) < ($1.path, Self.methodOrder($1.method)) }
    }

    /// The document without what a status-code check never reads (request and response
    /// bodies, links, callbacks, webhooks), so that a recursive body schema, legitimate in JSON
    /// Schema, does not stop OpenAPIKit's dereferencing.
    static func withoutBodies(_ document: OpenAPIKit.OpenAPI.Document) -> OpenAPIKit.OpenAPI.Document {
        typealias Response = OpenAPIKit.OpenAPI.Response
        func strip(_ response: Either<OpenAPIKit.OpenAPI.Reference<Response>, Response>) -> Either<OpenAPIKit.OpenAPI.Reference<Response>, Response> {
            guard case .b(var response) = response else { return response }
            response.content = [:]
            response.links = [:]
            return .b(response)
        }
        func strip(_ operation: OpenAPIKit.OpenAPI.Operation?) -> OpenAPIKit.OpenAPI.Operation? {
            guard var operation else { return nil }
            operation.requestBody = nil
            operation.callbacks = [:]
            operation.responses = operation.responses.mapValues(strip)
            return operation
        }
        var document = document
        document.paths = document.paths.mapValues { entry in
            guard case .b(var item) = entry else { return entry }
            item.get = strip(item.get)
            item.put = strip(item.put)
            item.post = strip(item.post)
            item.delete = strip(item.delete)
            item.options = strip(item.options)
            item.head = strip(item.head)
            item.patch = strip(item.patch)
            item.trace = strip(item.trace)
            item.query = strip(item.query)
            item.additionalOperations = item.additionalOperations.compactMapValues(strip)
            return .b(item)
        }
        document.webhooks = [:]
        document.components.responses = document.components.responses.mapValues(strip)
        document.components.requestBodies = [:]
        document.components.callbacks = [:]
        return document
    }

    static func methodOrder(_ method: String) -> Int {
        ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"].firstIndex(of: method) ?? 9
    }

    static func kind(_ scheme: OpenAPIKit.OpenAPI.SecurityScheme) -> SchemeKind {
        switch scheme.type {
        case .http(let name, _):
            switch name.lowercased() {
            case "basic": .basic
            case "bearer": .bearer
            case "digest": .digest
            default: .other(name)
            }
        case .apiKey(let name, let location): .apiKey(name: name, location: location.rawValue)
        case .oauth2(let flows, _):
            .oauth2(scopes: [flows.implicit?.scopes, flows.password?.scopes, flows.clientCredentials?.scopes, flows.authorizationCode?.scopes]
                .compactMap { $0?.keys.map { $0 } }.flatMap { $0 })
        case .openIdConnect: .openIdConnect
        case .mutualTLS: .other("mutualTLS")
        }
    }

    static func location(_ location: OpenAPIKit.OpenAPI.Parameter.Context.Location) -> String {
        switch location {
        case .query: "query"
        case .header: "header"
        case .path: "path"
        case .cookie: "cookie"
        case .querystring: "querystring"
        }
    }

    /// A value to send for a parameter, from what the spec offers.
    static func sample(_ parameter: OpenAPIKit.DereferencedParameter) -> String? {
        guard case .a(let context) = parameter.schemaOrContent else { return nil }
        let candidates: [AnyCodable?] = [context.example, context.examples?.values.first?.dataValue ?? context.examples?.values.first?.legacyValue,
                                         context.schema.examples.first, context.schema.allowedValues?.first, context.schema.defaultValue]
        guard let value = candidates.lazy.compactMap({ $0 }).first?.value else { return nil }
        return "\(value)"
    }

    /// The first `$ref` that does not start with `#`.
    static func remoteReference(in value: Any) -> String? {
        if let object = value as? [String: Any] {
            if let ref = object["$ref"] as? String, !ref.hasPrefix("#") { return ref }
            for child in object.values { if let found = remoteReference(in: child) { return found } }
        } else if let array = value as? [Any] {
            for child in array { if let found = remoteReference(in: child) { return found } }
        }
        return nil
    }

    static func firstLine(of error: any Error) -> String {
        String("\(error)".split(separator: "\n").first ?? "")
    }
}
