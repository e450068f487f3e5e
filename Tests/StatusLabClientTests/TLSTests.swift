import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import StatusLabCore
import SwiftASN1
import Testing
import X509
@testable import StatusLabCheck
@testable import StatusLabClient

/// Certificates made here, for a CA of the test's own and the servers it signs for.
struct TestPKI {
    let caKey = P256.Signing.PrivateKey()
    let caName = try! DistinguishedName { CommonName("StatusLab test CA") }
    let ca: Certificate
    let caFile: URL

    init() throws {
        let now = Date()
        ca = try Certificate(version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
                             notValidBefore: now - 3600, notValidAfter: now + 86_400, issuer: caName, subject: caName,
                             signatureAlgorithm: .ecdsaWithSHA256,
                             extensions: try Certificate.Extensions {
                                 Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                                 KeyUsage(keyCertSign: true)
                             },
                             issuerPrivateKey: .init(caKey))
        caFile = FileManager.default.temporaryDirectory.appendingPathComponent("statuslab-ca-\(UUID().uuidString).pem")
        try ca.serializeAsPEM().pemString.write(to: caFile, atomically: true, encoding: .utf8)
    }

    /// A server certificate signed by the CA, for `names`, valid from `from` to `until`.
    func leaf(for names: [GeneralName], from: Date = Date() - 3600, until: Date = Date() + 86_400) throws -> (NIOSSLCertificate, NIOSSLPrivateKey) {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName("test server") }
        let certificate = try Certificate(version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
                                          notValidBefore: from, notValidAfter: until, issuer: caName, subject: subject,
                                          signatureAlgorithm: .ecdsaWithSHA256,
                                          extensions: try Certificate.Extensions {
                                              BasicConstraints.notCertificateAuthority
                                              try ExtendedKeyUsage([.serverAuth])
                                              SubjectAlternativeNames(names)
                                          },
                                          issuerPrivateKey: .init(caKey))
        return (try NIOSSLCertificate(bytes: Array(certificate.serializeAsPEM().pemString.utf8), format: .pem),
                try NIOSSLPrivateKey(bytes: Array(Certificate.PrivateKey(key).serializeAsPEM().pemString.utf8), format: .pem))
    }

    static let localhost: [GeneralName] = [.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))]
}

/// The fake API of CheckTests behind TLS.
final class TLSFakeAPI: @unchecked Sendable {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    init(certificate: NIOSSLCertificate, key: NIOSSLPrivateKey, respond: @escaping FakeAPI.Responder) async throws {
        let context = try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(FakeAPI.Handler(respond: respond))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func stop() async { try? await channel.close() }
}

@Suite(.serialized) struct TLSTests {
    static let challenge: FakeAPI.Responder = { _, _, _ in (401, [("WWW-Authenticate", #"Bearer realm="api""#)], "log in\n") }

    func send(_ url: String, tls: TLSOptions) async -> LabResult {
        await LabClient(tls: tls).send(LabRequest(url: url), base: nil)
    }

    @Test func httpsWithTheCAGivenIsReadAndItsWireShownInPlainText() async throws {
        let pki = try TestPKI()
        let (certificate, key) = try pki.leaf(for: TestPKI.localhost)
        let server = try await TLSFakeAPI(certificate: certificate, key: key, respond: Self.challenge)
        defer { Task { await server.stop() } }
        for host in ["localhost", "127.0.0.1"] {
            let result = await send("https://\(host):\(server.port)/notes/1", tls: TLSOptions(caFile: pki.caFile.path))
            #expect(result.final?.failure == nil, "\(host): \(result.final?.failure ?? "")")
            #expect(result.final?.response?.status == 401)
            let sent = String(decoding: result.final?.sent ?? [], as: UTF8.self)
            #expect(sent.hasPrefix("GET /notes/1 HTTP/1.1\r\n"), "the HTTP bytes, not the ciphertext")
            #expect(result.url == "https://\(host):\(server.port)/notes/1")
            #expect(result.note == nil)
        }
    }

    @Test func certificateProblemsAreSaidInPlainWords() async throws {
        let pki = try TestPKI()
        let cases: [(names: [GeneralName], from: Date, until: Date, tls: TLSOptions, expected: String)] = [
            (TestPKI.localhost, Date() - 3600, Date() + 86_400, TLSOptions(), "unknown issuer: its issuer (CN=StatusLab test CA) is not one this machine trusts. Give the CA's certificate with --cacert FILE"),
            (TestPKI.localhost, Date() - 86_400 * 30, Date() - 86_400, TLSOptions(caFile: pki.caFile.path), "the server's certificate expired on"),
            (TestPKI.localhost, Date() + 86_400, Date() + 86_400 * 30, TLSOptions(caFile: pki.caFile.path), "is not valid until"),
            ([.dnsName("api.example")], Date() - 3600, Date() + 86_400, TLSOptions(caFile: pki.caFile.path), "wrong host: the certificate is for api.example, not localhost"),
        ]
        for (names, from, until, tls, expected) in cases {
            let (certificate, key) = try pki.leaf(for: names, from: from, until: until)
            let server = try await TLSFakeAPI(certificate: certificate, key: key, respond: Self.challenge)
            let result = await send("https://localhost:\(server.port)/", tls: tls)
            await server.stop()
            #expect(result.final?.response == nil)
            #expect(result.final?.failure?.contains(expected) == true, "\(result.final?.failure ?? "no failure")")
        }
    }

    @Test func insecureSkipsTheCheckAndSaysSoEverywhere() async throws {
        let pki = try TestPKI()
        let (certificate, key) = try pki.leaf(for: [.dnsName("api.example")], from: Date() - 86_400 * 30, until: Date() - 86_400)
        let server = try await TLSFakeAPI(certificate: certificate, key: key, respond: Self.challenge)
        defer { Task { await server.stop() } }
        let result = await send("https://localhost:\(server.port)/", tls: TLSOptions(insecure: true))
        #expect(result.final?.response?.status == 401)
        #expect(result.note == TLSOptions.insecureWarning)
        // check's reports carry the warning in every form.
        let plan = try CheckPlan.parse("base: https://localhost:\(server.port)\nresources:\n  - path: /notes/1\n")
        let results = await APICheck(plan: plan, auth: library.diagram("auth")!, client: LabClient(tls: TLSOptions(insecure: true))).run()
        #expect(results.contains { $0.passed })
        let text = CheckReport.render(results, format: .text, base: plan.base, insecure: true)
        #expect(text.hasPrefix("WARNING: --insecure") && text.hasSuffix(TLSOptions.insecureWarning + "\n"))
        #expect(CheckReport.render(results, format: .json, base: plan.base, insecure: true).contains("\"insecure\""))
        #expect(CheckReport.render(results, format: .junit, base: plan.base, insecure: true).contains("<property name=\"insecure\" value=\"true\"/>"))
    }

    /// `check --openapi https://…`: the spec is fetched over TLS, and a certificate that does not
    /// check out is said as plainly as for a probe.
    @Test func aSpecURLOverHTTPSIsCheckedLikeAnyRequest() async throws {
        let pki = try TestPKI()
        let (certificate, key) = try pki.leaf(for: TestPKI.localhost)
        let spec = try SpecCheckTests.fixture("openapi/builtin.yaml")
        let server = try await TLSFakeAPI(certificate: certificate, key: key) { _, _, _ in (200, [("Content-Type", "application/yaml")], spec) }
        defer { Task { await server.stop() } }
        let url = "https://localhost:\(server.port)/openapi.yaml"
        let loaded = try await APISpec.load(url, client: LabClient(tls: TLSOptions(caFile: pki.caFile.path)))
        #expect(loaded.title == "StatusLab demo API")
        let refused = await #expect(throws: APISpec.Problem.self) { try await APISpec.load(url) }
        #expect(refused?.message.hasPrefix("unknown issuer") == true, "\(refused?.message ?? "")")
        let missing = await #expect(throws: APISpec.Problem.self) { try await APISpec.load("/nonexistent/spec.yaml") }
        #expect(missing?.message == "no such file")
    }

    @Test func httpsToAPlainServerAndAMissingCAFileAreExplained() async throws {
        let plain = try await FakeAPI(Self.challenge)
        let result = await send("https://127.0.0.1:\(plain.port)/", tls: TLSOptions())
        await plain.stop()
        #expect(result.final?.failure?.contains("did not answer in TLS") == true, "\(result.final?.failure ?? "")")
        let missing = await send("https://127.0.0.1:1/", tls: TLSOptions(caFile: "/nonexistent/ca.pem"))
        #expect(missing.final?.failure == "--cacert /nonexistent/ca.pem: no such file")
    }
}
