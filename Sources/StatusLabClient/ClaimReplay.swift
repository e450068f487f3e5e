import StatusLabCore
import StatusLabServer

/// Sends every claim of a content library (`ServerClaim`) to the built-in server made from that
/// same library, over a real socket, and says which ones the server does not bear out.
public enum ClaimReplay {
    public struct Drift: Sendable, CustomStringConvertible {
        public let claim: ServerClaim
        /// The status that came back; nil when no response did.
        public let got: Int?

        /// `exercises/01-ask-who-you-are.exercise:8: claim `GET /api/nope -> 401`, but the server answers 404`
        public var description: String {
            "\(claim.file):\(claim.line): claim `\(claim.text)`, but the built-in server answers "
                + (got.map { StatusRegistry.statusText($0) } ?? "nothing")
        }
    }

    /// The claims the server contradicts, in the library's order (empty: every one holds).
    public static func drifts(in library: ContentLibrary) async throws -> [Drift] {
        let claims = library.claims
        guard !claims.isEmpty else { return [] }
        let server = ServerWiring.server(try ServerWiring.diagrams(library), port: 0)
        let port = try await server.start()
        var drifts: [Drift] = []
        for claim in claims {
            let result = await LabClient().send(claim.request, base: "http://127.0.0.1:\(port)")
            let got = result.final?.response?.status
            if got != claim.status { drifts.append(Drift(claim: claim, got: got)) }
        }
        await server.stop()
        return drifts
    }
}
