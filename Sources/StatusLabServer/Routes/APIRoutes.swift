/// `/api/…`: a JSON API behind Basic or Bearer credentials, where every refusal is the `auth`
/// diagram's. Handlers serve the content only.
enum APIRoutes {
    static let routes: [Route] = [
        Route("/api/public", ["GET"], about: "public: 200 for anyone", guarded: { _, request, _ in
            Guard(resource: .init(isPublic: true, path: request.path), credentials: Credentials.from(request))
        }) { _, _, _ in .served(.json(["message": "Anyone may read this."])) },
        Route("/api/profile", ["GET"], about: "any login (Basic or Bearer)", guarded: { _, request, _ in
            Guard(resource: .init(path: request.path), credentials: Credentials.from(request))
        }) { _, _, served in .served(.json(["user": served.identity?.user ?? ""])) },
        Route("/api/admin", ["GET"], about: "needs the admin scope", guarded: { _, request, _ in
            Guard(resource: .init(requiredScope: "admin", path: request.path), credentials: Credentials.from(request))
        }) { _, _, _ in .served(.json(["message": "Welcome to the admin area."])) },
        Route("/api/internal", ["GET"], about: "closed to everyone: 403", guarded: { _, request, _ in
            Guard(resource: .init(forbiddenToEveryone: true, path: request.path), credentials: Credentials.from(request))
        }) { _, _, _ in .served(.json([String: String]())) },
        Route("/api/notes/{id}", ["GET", "DELETE"], about: "note 1 is alice's, note 2 bob's; DELETE needs notes:write",
              guarded: { _, request, parameters in
            let note = DemoWorld.note(parameters["id"])
            let scope = request.method == "DELETE" ? "notes:write" : "notes:read"
            return Guard(resource: .init(exists: note != nil, owner: note?.owner, requiredScope: scope, path: request.path),
                         credentials: Credentials.from(request))
        }) { _, request, served in
            guard let note = DemoWorld.note(served.parameters["id"]) else { return .bug("The auth diagram served a note that does not exist.\n") }
            let body: [String: Any] = request.method == "DELETE" ? ["deleted": note.id] : ["id": note.id, "owner": note.owner, "text": note.text]
            return .served(.json(body))
        },
    ]

    static let privateAreas = [
        PrivateArea(prefix: "/api/") { _, request in Guard(resource: .init(path: request.path), credentials: Credentials.from(request)) },
    ]
}
