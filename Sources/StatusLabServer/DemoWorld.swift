/// The fictional service the server plays (the product spec, "The demo world"). Everything here is
/// public demo data, listed by `GET /`.
public enum DemoWorld {
    public struct User: Sendable {
        public let name: String
        public let password: String
        public let role: String
        public let blocked: Bool
        public let scopes: [String]
    }

    public struct Token: Sendable {
        public enum State: String, Sendable { case valid, expired, revoked }
        public let value: String
        public let user: String
        public let scopes: [String]
        public let state: State
    }

    public struct Note: Sendable {
        public let id: Int
        public let owner: String
        public let text: String
    }

    public static let users: [User] = [
        User(name: "alice", password: "wonderland", role: "user", blocked: false, scopes: ["notes:read", "notes:write"]),
        User(name: "bob", password: "builder", role: "admin", blocked: false, scopes: ["notes:read", "notes:write", "admin"]),
        User(name: "mallory", password: "letmein", role: "user", blocked: true, scopes: ["notes:read"]),
    ]

    public static let tokens: [Token] = [
        Token(value: "alice-read-token", user: "alice", scopes: ["notes:read"], state: .valid),
        Token(value: "bob-admin-token", user: "bob", scopes: ["notes:read", "notes:write", "admin"], state: .valid),
        Token(value: "alice-expired-token", user: "alice", scopes: ["notes:read"], state: .expired),
        Token(value: "bob-revoked-token", user: "bob", scopes: ["notes:read", "notes:write", "admin"], state: .revoked),
    ]

    public static let notes: [Note] = [
        Note(id: 1, owner: "alice", text: "Buy a teapot that is not a 418."),
        Note(id: 2, owner: "bob", text: "Fix the wall; measure twice."),
    ]

    /// OAuth clients of the token endpoint: a confidential one (it authenticates with HTTP
    /// Basic and may use client_credentials) and a public one (no secret; password grant only).
    public struct Client: Sendable {
        public let id: String
        public let secret: String?
        public let scopes: [String]
    }

    public static let clients: [Client] = [
        Client(id: "lab-client", secret: "lab-secret", scopes: ["notes:read"]),
        Client(id: "cli", secret: nil, scopes: []),
    ]

    public static func user(_ name: String) -> User? { users.first { $0.name == name } }

    static func client(_ id: String) -> Client? { clients.first { $0.id == id } }

    /// The note a path segment names, if any.
    static func note(_ id: String?) -> Note? { notes.first { "\($0.id)" == id } }
}
