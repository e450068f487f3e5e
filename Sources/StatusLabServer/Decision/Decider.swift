import Foundation
import StatusLabCore

/// The diagrams the server decides by: `status` for what any request meets (method, size,
/// syntax, existence), `auth` for who may have a protected resource, `redirect` for where a
/// browser goes after a form, `token` for what the token endpoint answers. Every status code the server sends comes from walking one of
/// them with facts about the request (the one exception, `/status/{code}`, echoes the code
/// the learner asked for).
public final class ServerDiagrams: Sendable {
    public let status: Diagram
    public let auth: Diagram
    public let redirect: Diagram
    public let token: Diagram

    /// The four diagrams, linked to each other's handoffs (`status` hands over to `auth`).
    public init(status: Diagram, auth: Diagram, redirect: Diagram, token: Diagram) {
        let linked = Diagram.link([status, auth, redirect, token])
        self.status = linked[0]
        self.auth = linked[1]
        self.redirect = linked[2]
        self.token = linked[3]
    }

    public struct Missing: Error, CustomStringConvertible {
        public let id: String
        public var description: String { "the content has no `\(id)` diagram, which the server decides by" }
    }

    /// The four diagrams of a content library.
    public convenience init(_ library: ContentLibrary) throws {
        func diagram(_ id: String) throws -> Diagram {
            guard let diagram = library.diagram(id) else { throw Missing(id: id) }
            return diagram
        }
        self.init(status: try diagram("status"), auth: try diagram("auth"), redirect: try diagram("redirect"), token: try diagram("token"))
    }

    var all: [Diagram] { [status, auth, redirect, token] }

    enum Kind: Sendable { case status, auth, redirect, token }

    subscript(kind: Kind) -> Diagram {
        switch kind {
        case .status: status
        case .auth: auth
        case .redirect: redirect
        case .token: token
        }
    }

    /// The realm every challenge names: the `auth` diagram's `var: realm`, which its challenge
    /// templates fill in, and which Digest hashes (RFC 7616 §3.4.1).
    public var realm: String { auth.variables["realm"] ?? "" }

    /// The fact `question` asks, if the server knows it.
    func fact(asked question: Question) -> ServerFact? { ServerFact.byName[question.fact] }
}

/// A decision: the diagram walked, the path taken and the outcome reached.
struct Decided: Sendable {
    let diagrams: ServerDiagrams
    let kind: ServerDiagrams.Kind
    let path: [DecisionEngine.Step]
    let outcome: Outcome

    var diagram: Diagram { diagrams[kind] }

    /// What the `StatusLab-Decision` header carries: `auth: public=no > … > challenge 401`.
    var header: String { DecisionRecord(diagram: diagram, path: path, outcome: outcome).header }
}

enum Walked {
    case decided(Decided)
    /// The walk reached a question whose fact is not known yet (`stop`), or not known at all.
    case stopped(at: Question)
}

extension ServerDiagrams {
    /// Walks a diagram with `facts`, stopping at the first question whose fact has no value.
    func walk(_ kind: Kind, _ facts: Facts) -> Walked {
        switch DecisionEngine.walk(self[kind], answer: { facts.value(for: $0, in: self) }) {
        case .decided(let path, let outcome): return .decided(Decided(diagrams: self, kind: kind, path: path, outcome: outcome))
        case .asking(_, let question), .invalidAnswer(_, let question, _): return .stopped(at: question)
        }
    }
}

/// How a decided outcome becomes a response: its status, its headers filled in for this request
/// (challenges in the scheme the request used), and a body saying why — problem+json (RFC 9457)
/// for programs, HTML for a browser.
struct OutcomeResponse {
    /// Values for the outcome's `{placeholders}`, on top of the diagram's defaults.
    var values: [String: String] = [:]
    /// A sentence about this request in particular; the outcome's `why` when nil.
    var detail: String? = nil
    var browser = false
    /// Refusals carry `error_description` (the `describe` policy).
    var describeErrors = true
    /// Parameters a scheme adds to its challenge (Digest's nonce, qop, algorithm …).
    var challengeParameters: [(name: String, value: String)] = []

    func build(_ decided: Decided) -> ServiceResponse {
        // A 404 that hides something (someone else's note, a refusal, a stranger) must not be
        // told from a genuine one: it is sent as the diagram's own `not-found`, and only the
        // decision header, a teaching aid a real server would not send, says which it was.
        let outcome = decided.outcome.status == 404 ? decided.diagram.outcome("not-found") ?? decided.outcome : decided.outcome
        var values = decided.diagram.variables
        values.merge(self.values) { _, new in new }
        var headers: [(name: String, value: String)] = []
        for field in outcome.filledFields(values) {
            headers.append((field.name, HeaderTemplate.isChallenge(field.name) ? challenge(field.value) : field.value))
        }
        let reason = StatusRegistry.lookup(outcome.status)?.reason ?? ""
        let detail = self.detail ?? outcome.why.plainText
        var response: ServiceResponse
        // Problem details are for errors (RFC 9457): a redirect, such as the 303 after a login
        // form, gets a short page with its link, as a browser expects.
        if browser || outcome.status < 400 {
            let location = headers.first { $0.name == "Location" }?.value
            let html = "<!doctype html><title>\(outcome.status) \(reason)</title><h1>\(outcome.status) \(reason)</h1><p>\(escape(detail))</p>"
                + (outcome.status == 401 ? "<p><a href=\"\(escape(values["login"] ?? "/app/login"))\">Log in</a></p>" : "")
                + (location.map { "<p><a href=\"\(escape($0))\">Continue</a></p>" } ?? "") + "\n"
            response = ServiceResponse(status: outcome.status, headers: headers + [("Content-Type", "text/html; charset=utf-8")],
                                       body: Array(html.utf8))
        } else {
            // RFC 9457 problem details; `type` names the outcome.
            let members: [String: Any] = ["title": reason, "status": outcome.status, "detail": detail,
                                          "type": "https://statuslab.invalid/problems/\(outcome.id)"]
            let content = Content.json(members, type: "application/problem+json", extra: headers)
            response = ServiceResponse(status: outcome.status, headers: content.headers, body: content.body)
        }
        response.decision = decided.header
        return response
    }

    /// Basic gets `charset` (RFC 7617 §2.1); a scheme's own parameters go after the outcome's;
    /// the `describe` policy decides whether refusals say why.
    private func challenge(_ value: String) -> String {
        var challenge = AuthParameters.split(value)
        if !describeErrors { challenge.parameters.removeAll { $0.name == "error_description" } }
        if challenge.scheme?.lowercased() == "basic" { challenge.parameters.append(("charset", "\"UTF-8\"")) }
        challenge.parameters += challengeParameters
        return challenge.text
    }
}

func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
