import Foundation
import StatusLabCore

/// A room's front to the demo service. `/room` is the room's home page and `/room/join` its
/// door; a learner's personal base URL `/l/KEY/…` is the demo service itself, under their key,
/// so that their requests count for them, with their page, feed and hand-in at `/l/KEY/room…`.
/// Every other path is the demo service as `serve` answers it. Every status here, the room's
/// own included, comes from walking the diagrams: the room's endpoints are routes like the
/// demo's (`verdict(_:matches:)`), and what only they know (a name taken, a learner over their
/// budget, an exam that does not parse) is a fact of the `status` walk (`walkTaken`).
struct RoomService: RequestResponder {
    let mock: MockService
    let room: LiveRoom

    /// The room's own routes outside the personal URLs.
    private var doorRoutes: [Route] {
        let room = self.room
        return [
            Route("/room", ["GET"], about: nil) { _, request, _ in .served(RoomPages.home(room, request)) },
            Route("/room/join", ["POST"], about: nil, guarded: { _, request, _ in
                Guard(resource: .init(path: "/room/join", scheme: "Basic"), credentials: RoomService.joinCredentials(request),
                      passwords: { name, code in
                          constantTimeEquals(code, room.joinCode) && LearnerName.sanitized(name) != nil
                              ? AuthDecision.Identity(user: name, scopes: []) : nil
                      },
                      note: "Join with your name and the room's code: curl -u 'NAME:CODE' -X POST …/room/join")
            }) { service, request, served in RoomService.join(service, room, request, name: served.identity?.user ?? "") },
        ]
    }

    /// The routes under a learner's personal base URL, for that learner.
    private func learnerRoutes(_ key: String) -> [Route] {
        let room = self.room
        return [
            Route("/room", ["GET"], about: nil) { _, request, _ in .served(RoomPages.personal(room, key: key, request)) },
            Route("/room/feed", ["GET"], about: nil) { _, request, _ in
                let after = Int(request.queryValue("after") ?? "") ?? 0
                guard let feed = room.feed(for: key, after: after), let data = try? RoomFeed.encoder.encode(feed) else {
                    return .bug("The feed could not be written.\n")
                }
                return .served(Content(headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store")], body: Array(data)))
            },
            Route("/room/exam", ["POST"], about: nil) { service, request, _ in
                guard let exam = try? ExamSummary.read(Data(request.body)).first else {
                    return service.walkTaken(request, detail: "The content is not an exam's results as `quiz --exam --export` writes them.") {
                        $0[.contentValid] = "unreadable"
                    }
                }
                room.handIn(exam, from: key)
                return .served(.json(["handed_in": true, "score": exam.score, "total": exam.total]))
            },
        ]
    }

    func respond(_ request: ServiceRequest) -> ServiceResponse {
        let path = request.path
        if path.hasPrefix("/l/") {
            let afterPrefix = path.dropFirst(3)
            let key = String(afterPrefix.prefix { $0 != "/" })
            // An unknown key is a path nothing has: the demo service's 404, walked as any other.
            guard room.knows(key) else { return mock.respond(request) }
            // The path loses the prefix; the target stays as sent, which Digest signs.
            var inner = request
            inner.path = String(afterPrefix.dropFirst(key.count))
            if inner.path.isEmpty { inner.path = "/" }
            if let wait = room.charge(key) {
                return MockService.response(mock.walkTaken(inner, detail: "You sent more requests than the room allows one learner; wait \(wait) s.",
                                                           values: ["retry_after": String(wait)]) { $0.set(.rateLimited, true) },
                                            served: nil)
            }
            if inner.path == "/room" || inner.path.hasPrefix("/room/") { return answer(inner, routes: learnerRoutes(key)) }
            return Self.underBase(mock.respond(inner), base: "/l/\(key)")
        }
        if path == "/room" || path.hasPrefix("/room/") {
            if path == "/room/join", let wait = room.chargeJoin() {
                return MockService.response(mock.walkTaken(request, detail: "Many joins at once; try again in \(wait) s.",
                                                           values: ["retry_after": String(wait)]) { $0.set(.rateLimited, true) },
                                            served: nil)
            }
            return answer(request, routes: doorRoutes)
        }
        return mock.respond(request)
    }

    /// The demo's answer as seen under a personal base URL: a local `Location` and a cookie's
    /// `Path` gain the base, so that a redirect followed, or a cookie sent back, stays the
    /// learner's (the login form's 303, its session cookie for `/app`).
    static func underBase(_ response: ServiceResponse, base: String) -> ServiceResponse {
        guard response.headers.contains(where: { $0.name == "Location" || $0.name == "Set-Cookie" }) else { return response }
        var response = response
        response.headers = response.headers.map { field in
            if field.name == "Location", field.value.hasPrefix("/"), !field.value.hasPrefix("//") { return (field.name, base + field.value) }
            if field.name == "Set-Cookie" { return (field.name, field.value.replacingOccurrences(of: "; Path=/", with: "; Path=\(base)/")) }
            return field
        }
        return response
    }

    func refusalBeforeContent(_ request: ServiceRequest) -> ServiceResponse? {
        request.path.hasPrefix("/l/") || request.path.hasPrefix("/room") ? nil : mock.refusalBeforeContent(request)
    }

    /// Decided as the demo's routes are, against `routes`.
    private func answer(_ request: ServiceRequest, routes: [Route]) -> ServiceResponse {
        let segments = request.path.split(separator: "/").map(String.init)
        let matches: [Router.Match] = routes.compactMap { route in route.match(segments).map { (route, $0) } }
        switch mock.verdict(request, matches: matches) {
        case .refused(let response): return response
        case .serve(let route, let served): return MockService.response(route.handler(mock, request, served), served: served)
        }
    }

    /// The join's credentials: Basic `NAME:CODE`, or the same two as form fields (the home
    /// page's form), read as Basic would be.
    static func joinCredentials(_ request: ServiceRequest) -> Credentials {
        let credentials = Credentials.from(request)
        guard credentials == .none, request.hasFormContent else { return credentials }
        let fields = FormEncoding.fields(request.body)
        guard let name = fields["name"], let code = fields["code"], !name.isEmpty || !code.isEmpty else { return .none }
        return .basic(user: name, password: code)
    }

    /// Adds the learner: 201 with their personal base URL (303 to their page for a browser's
    /// form), or 409 when the name is someone's already or the room is full.
    static func join(_ service: MockService, _ room: LiveRoom, _ request: ServiceRequest, name: String) -> Reply {
        let fromForm = request.header("Authorization") == nil
        let joining = room.join(name: name)
        switch joining {
        case .joined(let learner):
            let base = RoomPages.origin(request) + "/l/\(learner.key)"
            let content: Content
            if RoomPages.wantsJSON(request) {
                content = .json(["name": learner.name, "key": learner.key, "base": base, "page": base + "/room", "feed": base + "/room/feed"])
            } else {
                content = .text(RoomPages.welcome(room, learner, base: base))
            }
            return service.walkTaken(request, content: content, values: ["location": "/l/\(learner.key)/room"]) { facts in
                facts.set(.resourceCreated, true)
                facts.set(.clientIsBrowser, fromForm && RoomPages.wantsHTML(request))
            }
        case .nameTaken, .invalidName, .full:
            let detail = switch joining {
            case .full: "The room is full (\(RoomRecord.capacity) learners)."
            case .invalidName: "A name needs something printable."
            default: "Someone in the room is already called \(LearnerName.sanitized(name) ?? name); pick another name, or use the base URL you were given."
            }
            return service.walkTaken(request, detail: detail) { $0.set(.conflictsWithState, true) }
        }
    }
}
