import Foundation
import StatusLabCore

/// A route: a path pattern (`{name}` matches one segment), its methods (GET brings HEAD), and
/// what `GET /` says of it. A route serves only what the diagrams let through: its handler
/// returns content, never a status (`Reply`).
struct Route: Sendable {
    typealias Guarding = @Sendable (MockService, ServiceRequest, [String: String]) -> Guard
    typealias Handler = @Sendable (MockService, ServiceRequest, Served) -> Reply

    let pattern: [String]
    let methods: [String]
    /// The line `GET /` gives it; nil leaves it out of the list (a variant of a listed route).
    let about: String?
    /// Whether the path parameters name something this route has (`/status/abc` does not).
    let accepts: @Sendable ([String: String]) -> Bool
    /// For a protected route: the resource, the credentials as this route reads them and how
    /// it checks them. Nil for a route open to all, which the `status` diagram decides.
    let guarded: Guarding?
    let handler: Handler

    init(_ pattern: String, _ methods: [String], about: String?, accepts: @escaping @Sendable ([String: String]) -> Bool = { _ in true },
         guarded: Guarding? = nil, _ handler: @escaping Handler) {
        self.pattern = pattern.split(separator: "/").map(String.init)
        self.methods = methods
        self.about = about
        self.accepts = accepts
        self.guarded = guarded
        self.handler = handler
    }

    var path: String { "/" + pattern.joined(separator: "/") }

    var allowed: [String] { methods.contains("GET") && !methods.contains("HEAD") ? methods + ["HEAD"] : methods }

    /// `GET|DELETE /api/notes/{id}`; ANY for every method a route can have.
    var listing: String {
        (Set(methods) == Set(Router.everyMethod) ? "ANY" : methods.joined(separator: "|")) + " " + path
    }

    func match(_ segments: [String]) -> [String: String]? {
        guard segments.count == pattern.count else { return nil }
        var parameters: [String: String] = [:]
        for (part, segment) in zip(pattern, segments) {
            if part.hasPrefix("{") {
                parameters[String(part.dropFirst().dropLast())] = segment.utf8.contains(UInt8(ascii: "%")) ? segment.removingPercentEncoding ?? segment : segment
            }
            else if part != segment { return nil }
        }
        return accepts(parameters) ? parameters : nil
    }
}

/// What a protected route hands the `auth` diagram.
struct Guard {
    var resource: AuthDecision.Resource
    var credentials: Credentials
    var passwords: AuthDecision.PasswordCheck = AuthDecision.demoUsers
    /// A scheme's own challenge parameters (Digest's nonce, qop …).
    var challenge: [(name: String, value: String)] = []
    /// A `StatusLab-Note` for the learner.
    var note: String? = nil
}

/// An area whose every path is private: a path in it that no route has is a missing resource
/// of the area, guarded as the area's routes are, so that a caller nobody has identified gets
/// the same answer whether or not a route is there.
struct PrivateArea: Sendable {
    let prefix: String
    let guardResource: @Sendable (MockService, ServiceRequest) -> Guard

    func `guard`(_ service: MockService, _ request: ServiceRequest) -> Guard {
        var guardInfo = guardResource(service, request)
        guardInfo.resource.exists = false
        return guardInfo
    }
}

/// What a handler gets once the request is to be served.
struct Served {
    var parameters: [String: String]
    var identity: AuthDecision.Identity? = nil
    /// The walk that let the request through.
    var decided: Decided
}

/// What a handler serves: header fields and content. The status is never the handler's.
struct Content {
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    static func json(_ value: Any, type: String = "application/json", extra: [(name: String, value: String)] = []) -> Content {
        Content(headers: [("Content-Type", type)] + extra, body: Array((JSONText.encode(value) + "\n").utf8))
    }

    static func text(_ text: String, type: String = "text/plain; charset=utf-8", extra: [(name: String, value: String)] = []) -> Content {
        Content(headers: [("Content-Type", type)] + extra, body: Array(text.utf8))
    }

    static func html(_ html: String, extra: [(name: String, value: String)] = []) -> Content {
        text(html, type: "text/html; charset=utf-8", extra: extra)
    }
}

/// A handler's answer. Every case but the echo takes its status from a diagram walk.
enum Reply {
    /// Served with the status of the walk that let the request through.
    case served(Content)
    /// Decided by a walk of the handler's own (the token endpoint's `token` diagram, the login
    /// form's `redirect`): that walk's status, with this content.
    case decided(Decided, Content)
    /// `/status/{code}`: the code the learner asked for, which no diagram decides (a 1xx goes
    /// out as an interim response ahead of the final one).
    case echo(status: Int, interim: [InterimResponse], Content)
    /// A diagram asked what this handler cannot answer: a bug, said as one (500).
    case bug(String)
}
