import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import StatusLabCore
import Synchronization
import X509

/// How https certificates are checked: against this machine's trust store, against a CA file
/// (`--cacert`), or not at all (`--insecure`, which every report and the Lab say loudly).
public struct TLSOptions: Sendable, Hashable {
    public var caFile: String?
    public var insecure: Bool

    public init(caFile: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.insecure = insecure
    }

    public static let insecureWarning = "WARNING: --insecure: https certificates are NOT checked, so anyone between you and the server could read and change this traffic"
}

/// TLS for the Lab's client: contexts (made once per set of options), the handler for a
/// connection, and TLS failures in plain words.
enum TLS {
    private static let contexts = Mutex<[TLSOptions: NIOSSLContext]>([:])

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func context(_ options: TLSOptions) throws(Problem) -> NIOSSLContext {
        if let made = contexts.withLock({ $0[options] }) { return made }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if options.insecure {
            configuration.certificateVerification = .none
        } else if let file = options.caFile {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file))
            } catch {
                throw Problem(description: FileManager.default.fileExists(atPath: file)
                              ? "--cacert \(file) holds no PEM certificate" : "--cacert \(file): no such file")
            }
        }
        do {
            let context = try NIOSSLContext(configuration: configuration)
            contexts.withLock { $0[options] = context }
            return context
        } catch {
            throw Problem(description: "TLS could not be set up: \(error)")
        }
    }

    /// SNI and the name checked: the host, unless it is an address (then the address is checked).
    static func serverHostname(_ host: String) -> String? {
        host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
    }

    /// What went wrong in the handshake, if `error` is about TLS; `verify` when the certificate
    /// did not check out (the reason is found by `diagnose`).
    enum Failure {
        case verify
        case other(String)
    }

    static func failure(_ error: any Error) -> Failure? {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname { return .verify }
        switch error {
        case NIOSSLError.handshakeFailed(let underlying):
            let text = "\(underlying)"
            if text.contains("CERTIFICATE_VERIFY_FAILED") { return .verify }
            if text.contains("WRONG_VERSION_NUMBER") || text.contains("PACKET_LENGTH_TOO_LONG") || text.contains("HTTP_REQUEST") {
                return .other("the server did not answer in TLS: it may speak plain http (try http://)")
            }
            return .other("the TLS handshake failed: \(text)")
        case NIOSSLError.uncleanShutdown:
            return .other("the server closed the connection during the TLS handshake")
        case is NIOSSLError, is NIOSSLExtraError, is BoringSSLError:
            return .other("TLS failed: \(error)")
        default:
            return nil
        }
    }

    /// Connects once more, keeping the certificates the server presents, and says why they do
    /// not check out: expired, not yet valid, issued for another host, or by an issuer this
    /// machine does not trust.
    static func diagnose(_ target: LabRequest.Target, options: TLSOptions, timeout: TimeAmount) async -> String {
        let chain = Mutex<[NIOSSLCertificate]>([])
        guard let context = try? context(options) else { return "the certificate could not be verified" }
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let keep: NIOSSLCustomVerificationCallback = { certificates, promise in
                        chain.withLock { $0 = certificates }
                        promise.succeed(NIOSSLVerificationResult.failed)
                    }
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: serverHostname(target.host), customVerificationCallback: keep)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        if let channel = try? await bootstrap.connect(host: target.host, port: target.port).get() {
            let closed = channel.closeFuture
            let timer = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: Optional<EventLoopPromise<Void>>.none) }
            try? await closed.get()
            timer.cancel()
        }
        guard let leaf = chain.withLock({ $0.first }), let der = try? leaf.toDERBytes(), let certificate = try? Certificate(derEncoded: der) else {
            return "the certificate could not be verified"
        }
        return explain(certificate, chainLength: chain.withLock(\.count), host: target.host, now: Date())
    }

    static func explain(_ certificate: Certificate, chainLength: Int, host: String, now: Date) -> String {
        let day = Date.FormatStyle(date: .abbreviated, time: .omitted)
        if now > certificate.notValidAfter {
            return "the server's certificate expired on \(certificate.notValidAfter.formatted(day)): it must be renewed"
        }
        if now < certificate.notValidBefore {
            return "the server's certificate is not valid until \(certificate.notValidBefore.formatted(day)) (or this machine's clock is wrong)"
        }
        let names = names(of: certificate)
        if !names.isEmpty, !names.contains(where: { matches($0, host) }) {
            return "wrong host: the certificate is for \(names.joined(separator: ", ")), not \(host)"
        }
        let issuer = certificate.issuer == certificate.subject && chainLength == 1
            ? "it is self-signed (\(certificate.subject))" : "its issuer (\(certificate.issuer)) is not one this machine trusts"
        return "unknown issuer: \(issuer). Give the CA's certificate with --cacert FILE, or --insecure to skip the check (never for real credentials)"
    }

    static func names(of certificate: Certificate) -> [String] {
        guard let alternatives = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return alternatives.compactMap { name in
            switch name {
            case .dnsName(let dns): dns
            case .ipAddress(let bytes):
                bytes.bytes.count == 4 ? bytes.bytes.map(String.init).joined(separator: ".") : nil
            default: nil
            }
        }
    }

    static func matches(_ name: String, _ host: String) -> Bool {
        let name = name.lowercased(), host = host.lowercased()
        if name.hasPrefix("*.") {
            guard let dot = host.firstIndex(of: ".") else { return false }
            return host[dot...] == name.dropFirst()
        }
        return name == host
    }
}
