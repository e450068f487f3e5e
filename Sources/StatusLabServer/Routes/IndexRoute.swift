import StatusLabCore

/// `GET /`: everything a learner needs, as text for curl or JSON when asked for: the routes (from
/// the route table), the demo users and tokens, the policies and curl lines to try.
enum IndexRoute {
    static let routes: [Route] = [
        Route("/", ["GET"], about: "this list (JSON with Accept: application/json)") { service, request, _ in service.index(request) },
    ]
}

extension MockService {
    /// The decision header teaches; a real server would give away what a hidden 404 hides.
    static let teachingAidNote = "That header is a teaching aid: a real server would not send it (a hidden 404 must look exactly like a genuine one)."

    func index(_ request: ServiceRequest) -> Reply {
        let base = "http://" + (request.header("Host") ?? "127.0.0.1:8401")
        // Every route that says what it is, in the table's order.
        let endpoints = Router.routes.compactMap { route in route.about.map { (route.listing, $0) } }
        let curl = [
            "curl -i \(base)/api/notes/1",
            "curl -i -u alice:wonderland \(base)/api/notes/1",
            "curl -i -u alice:wonderland \(base)/api/notes/2",
            "curl -i -u mallory:letmein \(base)/api/profile",
            "curl -i -H 'Authorization: Bearer alice-read-token' -X DELETE \(base)/api/notes/1",
            "curl -i -H 'Authorization: Bearer alice-expired-token' \(base)/api/profile",
            "curl -i -H 'Authorization: Bearer not a token' \(base)/api/profile",
            "curl -i '\(base)/api/notes/2?hide=on' -u alice:wonderland",
            "curl -i --anyauth -u bob:builder \(base)/basic-auth/bob/builder",
            "curl -i --digest -u alice:wonderland \(base)/digest-auth/auth/alice/wonderland/SHA-256",
            "curl -s -d grant_type=password -d username=alice -d password=wonderland -d scope=notes:read \(base)/oauth/token",
            "curl -i -c jar -b jar -L -d user=alice -d password=wonderland '\(base)/app/login?next=/app/notes'",
        ]
        if (request.header("Accept") ?? "").contains("application/json") {
            return .served(.json([
                "endpoints": endpoints.map { ["route": $0.0, "about": $0.1] },
                "users": DemoWorld.users.map { ["user": $0.name, "password": $0.password, "role": $0.role, "blocked": $0.blocked] },
                "tokens": DemoWorld.tokens.map { ["token": $0.value, "user": $0.user, "scopes": $0.scopes, "state": $0.state.rawValue] },
                "policies": Dictionary(uniqueKeysWithValues: ServerPolicy.allCases.map { ($0.rawValue, policies[$0]) }),
                "decisionHeader": StatusLabHeader.decision,
                "decisionHeaderNote": Self.teachingAidNote,
                "try": curl,
            ]))
        }
        var text = "StatusLab mock server: every protected answer is decided by the auth diagram,\n"
        text += "and the \(StatusLabHeader.decision) header shows the path it took.\n\(Self.teachingAidNote)\n\nEndpoints\n"
        for (route, about) in endpoints {
            // A route too long for the column gets a line of its own.
            let column = 38
            text += route.count > column ? "  \(route)\n  \(String(repeating: " ", count: column)) \(about)\n"
                                          : "  \(route.padding(toLength: column, withPad: " ", startingAt: 0)) \(about)\n"
        }
        text += "\nUsers (Basic, and the /app login form)\n"
        for user in DemoWorld.users { text += "  \(user.name):\(user.password)  \(user.role)\(user.blocked ? ", blocked" : "")\n" }
        text += "\nBearer tokens\n"
        for token in DemoWorld.tokens { text += "  \(token.value)  \(token.user), \(token.scopes.joined(separator: " ")), \(token.state.rawValue)\n" }
        text += "\nPolicies (query parameter or \(StatusLabHeader.policy) header; server defaults in brackets)\n"
        text += "  " + ServerPolicy.allCases.map { "\($0.rawValue)=\($0.values.joined(separator: "|")) [\(policies[$0])]" }.joined(separator: "  ") + "\n"
        text += "\nTry\n" + curl.map { "  " + $0 }.joined(separator: "\n") + "\n"
        return .served(.text(text))
    }
}
