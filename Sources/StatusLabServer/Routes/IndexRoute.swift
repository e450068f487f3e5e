extension MockService {
    /// `GET /`: everything a learner needs, as text for curl or JSON when asked for.
    /// The decision header teaches; a real server would give away what a hidden 404 hides.
    static let teachingAidNote = "That header is a teaching aid: a real server would not send it (a hidden 404 must look exactly like a genuine one)."

    func index(_ request: ServiceRequest) -> ServiceResponse {
        let base = "http://" + (request.header("Host") ?? "127.0.0.1:8401")
        let endpoints: [(String, String)] = [
            ("GET /api/public", "public: 200 for anyone"),
            ("GET /api/profile", "any login (Basic or Bearer)"),
            ("GET /api/admin", "needs the admin scope"),
            ("GET /api/internal", "closed to everyone: 403"),
            ("GET|DELETE /api/notes/{1,2}", "note 1 is alice's, note 2 bob's; DELETE needs notes:write"),
            ("GET /app/notes", "browser area: a login form and a session cookie"),
            ("GET /basic-auth/{user}/{passwd}", "Basic; 401 until the user and password in the URL are sent"),
            ("GET /hidden-basic-auth/{user}/{passwd}", "the same, answering 404 instead"),
            ("GET /digest-auth/{qop}/{user}/{passwd}[/{algorithm}]",
             "Digest: qop auth or auth-int; MD5 (default), SHA-256, SHA-512-256"),
            ("GET /bearer", "Bearer; 401 with a challenge without a token"),
            ("POST /oauth/token", "OAuth 2.0 password and client_credentials grants: a signed JWT for /api (expires_in=5 to practise expiry)"),
            ("ANY /status/{code}", "that status and the headers it requires (a 1xx: before a 200)"),
            ("GET /headers, ANY /anything", "echo what was received"),
        ]
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
            return .json(200, [
                "endpoints": endpoints.map { ["route": $0.0, "about": $0.1] },
                "users": DemoWorld.users.map { ["user": $0.name, "password": $0.password, "role": $0.role, "blocked": $0.blocked] },
                "tokens": DemoWorld.tokens.map { ["token": $0.value, "user": $0.user, "scopes": $0.scopes, "state": $0.state.rawValue] },
                "policies": ["hide": policies.hideForbidden ? "on" : "off", "login": policies.loginByRedirect ? "redirect" : "401",
                             "describe": policies.describeErrors ? "on" : "off"],
                "decisionHeader": Self.decisionHeader,
                "decisionHeaderNote": Self.teachingAidNote,
                "try": curl,
            ])
        }
        var text = "StatusLab mock server: every protected answer is decided by the auth diagram,\n"
        text += "and the \(Self.decisionHeader) header shows the path it took.\n\(Self.teachingAidNote)\n\nEndpoints\n"
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
        text += "\nPolicies (query parameter or StatusLab-Policy header; server defaults in brackets)\n"
        text += "  hide=on|off [\(policies.hideForbidden ? "on" : "off")]  login=redirect|401 [\(policies.loginByRedirect ? "redirect" : "401")]  describe=on|off [\(policies.describeErrors ? "on" : "off")]\n"
        text += "\nTry\n" + curl.map { "  " + $0 }.joined(separator: "\n") + "\n"
        return .text(200, text)
    }
}
