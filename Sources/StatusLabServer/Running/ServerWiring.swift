import StatusLabCore

/// The built-in server as every command that runs it gets it (`serve`, the Lab, `exercise
/// watch`): the diagrams of the content, refused when they ask what the server cannot work out.
public enum ServerWiring {
    /// The diagrams ask facts the server cannot work out from a request.
    public struct UnknownFacts: Error, CustomStringConvertible {
        public let facts: [String]
        public var description: String {
            "the diagrams ask about facts the server cannot work out from a request: " + facts.joined(separator: ", ")
                + ". The server knows: " + MockService.knownFacts.joined(separator: ", ")
        }
    }

    /// The server's diagrams from `library`; throws `ServerDiagrams.Missing` or `UnknownFacts`.
    public static func diagrams(_ library: ContentLibrary) throws -> ServerDiagrams {
        let diagrams = try ServerDiagrams(library)
        let unknown = MockService.unknownFacts(in: diagrams)
        guard unknown.isEmpty else { throw UnknownFacts(facts: unknown) }
        return diagrams
    }

    /// A server on `host:port` deciding by `diagrams`.
    public static func server(_ diagrams: ServerDiagrams, host: String = "127.0.0.1", port: Int, policies: Policies = Policies(),
                              logCapacity: Int = 500) -> MockServer {
        MockServer(service: MockService(diagrams: diagrams, policies: policies), host: host, port: port, log: ExchangeLog(capacity: logCapacity))
    }
}
