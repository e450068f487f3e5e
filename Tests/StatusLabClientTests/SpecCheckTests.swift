import Foundation
import StatusLabCore
@testable import StatusLabServer
import Testing
@testable import StatusLabCheck

/// `check --openapi`: reading specs with OpenAPIKit, planning the probes, and the built-in
/// server held to a spec written for it.
@Suite(.serialized) struct SpecCheckTests {
    let auth = library.diagram("auth")!

    static func fixture(_ name: String) throws -> String { try String(contentsOf: fixtureURL(name), encoding: .utf8) }

    static let builtInPlan = """
        credentials:
          alice: { bearer: alice-read-token, scheme: oauth, scopes: ["notes:read"] }
          bob: { bearer: bob-admin-token, scheme: oauth, scopes: ["notes:read", "notes:write", admin] }
          carol: { basic: "alice:wonderland" }
        resources:
          - { path: "/api/notes/{id}", allow: [alice] }
        missing: /api/notes/99
        """

    @Test func theBuiltInServerFollowsTheSpecWrittenForIt() async throws {
        let spec = try APISpec.parse(try Self.fixture("openapi/builtin.yaml"))
        #expect(spec.operations.map(\.label) == ["GET /api/admin", "GET /api/notes/{id}", "DELETE /api/notes/{id}", "GET /api/profile", "GET /api/public"])
        let server = MockServer(service: MockService(diagrams: try ServerDiagrams(library)), port: 0)
        let port = try await server.start()
        let check = SpecCheck(spec: spec, plan: try CheckPlan.parse(Self.builtInPlan, forSpec: true), base: "http://127.0.0.1:\(port)",
                              auth: auth, options: .init(unsafe: true, concurrency: 8))
        let report = await check.run()
        let sent = server.log.entries
        await server.stop()
        #expect(report.specFindings.isEmpty, "\(report.specFindings.map(\.name))")
        #expect(report.results.filter { !$0.passed }.isEmpty, "\(report.results.filter { !$0.passed }.map { "\($0.name): \($0.detail)" })")
        // A token without the admin scope: 403 with insufficient_scope, by the model and the rules.
        let admin = try #require(spec.operations.firstIndex { $0.label == "GET /api/admin" })
        #expect(report.cells[admin]?["alice"]?.status == 403 && report.cells[admin]?["alice"]?.expected == [403])
        #expect(report.results.contains { $0.name == "GET http://127.0.0.1:\(port)/api/admin (alice): insufficient_scope" && $0.passed })
        // Unsafe methods went out only with credentials that must be refused.
        let deletes = sent.filter { $0.method == "DELETE" }
        #expect(!deletes.isEmpty)
        #expect(deletes.allSatisfy { ![200, 204].contains($0.status) }, "\(deletes.map(\.status))")
        #expect(!deletes.contains { $0.requestHeaders.contains { $0.value.contains("bob-admin-token") } })
        // The matrix names each caller and operation, and the missing path.
        let text = report.render(.text)
        #expect(text.contains("GET /api/notes/99 (missing)"), "\(text)")
        #expect(text.contains("none  malformed Bearer  malformed Basic  wrong Bearer  wrong Basic  alice  bob  carol"), "\(text)")
    }

    @Test func withoutUnsafeOnlySafeMethodsAreSentAndTheRestAreListed() throws {
        let spec = try APISpec.parse(try Self.fixture("openapi/builtin.yaml"))
        let check = SpecCheck(spec: spec, plan: try CheckPlan.parse(Self.builtInPlan, forSpec: true), base: "http://x", auth: auth)
        let (probes, skipped) = check.probes()
        #expect(probes.allSatisfy { $0.request.method == "GET" })
        #expect(skipped.map(\.operation) == ["DELETE /api/notes/{id}"])
        #expect(skipped.first?.reason.contains("--unsafe") == true)
    }

    static let smallSpec = """
        openapi: 3.1.0
        info: { title: small, version: "1" }
        components:
          securitySchemes:
            key: { type: apiKey, name: X-Key, in: header }
            oauth: { type: oauth2, flows: { clientCredentials: { tokenUrl: /t, scopes: { write: w } } } }
        security: [ { key: [] } ]
        paths:
          /quiet:
            get:
              responses: { "200": { description: ok } }
          /scoped:
            get:
              security: [ { oauth: [write] } ]
              responses: { "200": { description: ok }, "401": { description: "no challenge declared" } }
          /open:
            get:
              security: []
              responses: { "200": { description: ok }, "401": { description: odd } }
          /optional:
            get:
              security: [ {}, { key: [] } ]
              responses: { "200": { description: ok } }
          /items/{kind}/{page}/{id}:
            parameters:
              - { name: kind, in: path, required: true, schema: { type: string, enum: [books, films] } }
              - { name: page, in: path, required: true, schema: { type: integer, default: 3 } }
              - { name: id, in: path, required: true, schema: { type: integer } }
            get:
              responses: { "200": { description: ok }, "401": { description: x, headers: { WWW-Authenticate: { schema: { type: string } } } } }
        """

    @Test func theSpecIsHeldToWhatTheModelSaysItMustDocument() throws {
        let spec = try APISpec.parse(Self.smallSpec)
        let check = SpecCheck(spec: spec, plan: try CheckPlan.parse("{}", forSpec: true), base: "http://x", auth: auth)
        #expect(Set(check.specFindings().map(\.name)) == [
            "spec: GET /quiet: secured, but documents no 401: clients need to know how a missing or wrong credential is answered (RFC 9110 §15.5.2)",
            "spec: GET /scoped: needs scopes, but documents no 403 for a token without them (RFC 6750 §3.1)",
            "spec: GET /scoped: documents a 401 without a WWW-Authenticate header: every 401 carries one (RFC 9110 §15.5.2)",
            "spec: GET /open: open to all (security: []), yet documents a 401: a public operation never asks who is calling",
            "spec: GET /open: documents a 401 without a WWW-Authenticate header: every 401 carries one (RFC 9110 §15.5.2)",
        ])
        #expect(spec.operations.first { $0.path == "/optional" }?.security == .optional)
        #expect(spec.schemes["key"] == .apiKey(name: "X-Key", location: "header"))
    }

    @Test func parametersComeFromThePlanThenTheSpecAndAnOperationWithoutOneIsListed() throws {
        let spec = try APISpec.parse(Self.smallSpec)
        let unresolved = SpecCheck(spec: spec, plan: try CheckPlan.parse("{}", forSpec: true), base: "http://x", auth: auth).probes()
        #expect(unresolved.skipped.map(\.operation) == ["GET /items/{kind}/{page}/{id}"])
        #expect(unresolved.skipped.first?.reason.contains("`id`") == true)
        let plan = try CheckPlan.parse("params: { id: 42 }\ncredentials:\n  k: { apikey: secret }\n", forSpec: true)
        let probes = SpecCheck(spec: spec, plan: plan, base: "http://x", auth: auth).probes().probes
        let item = try #require(probes.first { $0.request.url.contains("/items/") })
        #expect(item.request.url == "http://x/items/books/3/42", "enum, default, then the plan")
        // The API key goes where the scheme says; a wrong one is tried there too.
        #expect(probes.contains { $0.identity == "k" && $0.request.headers.contains { $0.name == "X-Key" && $0.value == "secret" } })
        #expect(probes.contains { $0.identity == "wrong key" && $0.request.headers.contains { $0.name == "X-Key" } })
    }

    /// Every page a check, a spec finding or an answer rule points to exists.
    @Test func everyPageAFindingPointsToExists() throws {
        let spec = try APISpec.parse(Self.smallSpec)
        let pages = SpecCheck(spec: spec, plan: try CheckPlan.parse("{}", forSpec: true), base: "http://x", auth: auth).specFindings().compactMap(\.page)
        let answers: [(Int, [WireResponse.Field], String, AnswerRules.Sent)] = [
            (401, [], "", .nothing), (405, [], "", .nothing), (302, [], "", .nothing),
            (401, [.init(name: "WWW-Authenticate", value: #"Bearer error="invalid_token""#)], "", .nothing),
            (401, [.init(name: "WWW-Authenticate", value: "Basic")], "", .credentials(scheme: "Bearer", refused: true)),
            (401, [.init(name: "WWW-Authenticate", value: #"Bearer error="insufficient_scope""#)], "", .credentials(scheme: "Bearer", refused: nil)),
            (403, [], "", .lackingScope(scheme: "Bearer")),
            (200, [.init(name: "Content-Type", value: "application/json")], #"{"error": "x"}"#, .nothing),
            (404, [.init(name: "Content-Type", value: "application/json")], #"{"title": "x"}"#, .nothing),
        ]
        let verdicts = answers.flatMap { AnswerRules.verdicts(status: $0.0, headers: $0.1, body: Array($0.2.utf8), sent: $0.3) }.filter { !$0.passed }
        #expect(Set(verdicts.map(\.rule)) == ["challenge", "Allow", "Location", "no error code", "invalid_token", "insufficient_scope", "error body", "problem details"])
        for page in pages + verdicts.map(\.page) {
            #expect(library.page(page) != nil, "\(page)")
        }
    }

    @Test func aMissingPathFitsTheTemplateOfItsShape() {
        #expect(SpecCheck.fits("/api/notes/99", "/api/notes/{id}"))
        #expect(SpecCheck.fits("/api/notes/99?x=1", "/api/notes/{id}"))
        #expect(!SpecCheck.fits("/api/notes", "/api/notes/{id}"))
        #expect(!SpecCheck.fits("", "/api/notes/{id}"))
        #expect(!SpecCheck.fits("?", "/a"))
    }

    /// A recursive body schema is valid JSON Schema; only the parameters' own schemas are read.
    @Test func aRecursiveBodySchemaIsNoObstacle() throws {
        let spec = try APISpec.parse("""
            openapi: 3.0.3
            info: { title: tree, version: "1" }
            paths:
              /tree:
                get:
                  responses: { "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Node" } } } } }
            components:
              schemas:
                Node: { type: object, properties: { children: { type: array, items: { $ref: "#/components/schemas/Node" } } } }
            """)
        #expect(spec.operations.map(\.label) == ["GET /tree"])
        #expect(spec.operations[0].security == .open)
    }

    @Test(arguments: [
        ("key: [unclosed", "neither YAML nor JSON"),
        ("hello: world\n", "not an OpenAPI document: there is no `openapi:` version field"),
        ("swagger: \"2.0\"\ninfo: { title: x, version: \"1\" }\npaths: {}\n", "Swagger 2.0"),
        ("openapi: 3.1.0\ninfo: { title: x, version: \"1\" }\npaths:\n  /a:\n    get:\n      parameters: [ { $ref: \"other.yaml#/p\" } ]\n      responses: {}\n",
         "the $ref `other.yaml#/p` points outside this file"),
        ("openapi: 3.1.0\ninfo: { title: x, version: \"1\" }\ncomponents:\n  parameters:\n    a: { $ref: \"#/components/parameters/b\" }\n    b: { $ref: \"#/components/parameters/a\" }\npaths:\n  /a:\n    get:\n      parameters: [ { $ref: \"#/components/parameters/a\" } ]\n      responses: {}\n",
         "$ref"),
        ("[1, 2, 3]", "not an OpenAPI document"),
    ])
    func aBadSpecIsSaidPlainly(text: String, message: String) {
        let problem = #expect(throws: APISpec.Problem.self) { try APISpec.parse(text) }
        #expect(problem?.message.contains(message) == true, "\(problem?.message ?? "no problem")")
    }
}
