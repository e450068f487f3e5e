import StatusLabCore

/// httpbin-compatible endpoints: Basic, hidden Basic, Digest and Bearer guards (each route
/// reads the credentials its scheme takes; the `auth` diagram decides), the `/status/{code}`
/// echo, and `/headers` and `/anything`, which show what was received.
enum HttpbinRoutes {
    static let routes: [Route] = [
        Route("/basic-auth/{user}/{passwd}", ["GET"], about: "Basic; 401 until the user and password in the URL are sent",
              guarded: { service, request, parameters in service.basicGuard(request, parameters, hidden: false) }) { _, _, served in
            .served(.json(["authenticated": true, "user": served.parameters["user"] ?? ""]))
        },
        Route("/hidden-basic-auth/{user}/{passwd}", ["GET"], about: "the same, answering 404 instead",
              guarded: { service, request, parameters in service.basicGuard(request, parameters, hidden: true) }) { _, _, served in
            .served(.json(["authenticated": true, "user": served.parameters["user"] ?? ""]))
        },
        Route("/digest-auth/{qop}/{user}/{passwd}", ["GET", "POST", "PUT"], about: "Digest: qop auth or auth-int, MD5",
              accepts: DigestAuth.accepts, guarded: { service, request, parameters in service.digestGuard(request, parameters) }) { _, _, served in
            .served(.json(["authenticated": true, "user": served.parameters["user"] ?? ""]))
        },
        Route("/digest-auth/{qop}/{user}/{passwd}/{algorithm}", ["GET", "POST", "PUT"], about: "the same with MD5, SHA-256 or SHA-512-256",
              accepts: DigestAuth.accepts, guarded: { service, request, parameters in service.digestGuard(request, parameters) }) { _, _, served in
            .served(.json(["authenticated": true, "user": served.parameters["user"] ?? ""]))
        },
        Route("/bearer", ["GET"], about: "Bearer; 401 with a challenge without a token",
              guarded: { service, request, _ in service.bearerGuard(request) }) { _, request, _ in
            var token = ""
            if case .bearer(let value) = Credentials.from(request) { token = value }
            return .served(.json(["authenticated": true, "token": token]))
        },
        Route("/status/{code}", Router.everyMethod, about: "that status and the headers it requires (a 1xx: before a 200)",
              accepts: { HttpbinRoutes.echoable($0["code"]) }) { service, _, served in
            service.status(served.parameters["code"] ?? "")
        },
        Route("/headers", ["GET"], about: "echo the request's header fields") { _, request, _ in
            .served(.json(["headers": Dictionary(request.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { "\($0), \($1)" })]))
        },
        Route("/anything", Router.everyMethod, about: "echo what was received") { _, request, _ in HttpbinRoutes.anything(request) },
        Route("/anything/{rest}", Router.everyMethod, about: nil) { _, request, _ in HttpbinRoutes.anything(request) },
    ]

    static let privateAreas = [
        PrivateArea(prefix: "/basic-auth/") { service, request in service.basicGuard(request, [:], hidden: false) },
        PrivateArea(prefix: "/hidden-basic-auth/") { service, request in service.basicGuard(request, [:], hidden: true) },
        PrivateArea(prefix: "/digest-auth/") { service, request in service.digestGuard(request, ["qop": "auth"]) },
        PrivateArea(prefix: "/bearer/") { service, request in service.bearerGuard(request) },
    ]

    /// `/status/{code}` echoes codes from 100 to 599, but for 101: there is no protocol to
    /// switch to (RFC 9110 §7.8), so `/status/101` names nothing here.
    static func echoable(_ text: String?) -> Bool {
        guard let text, let code = Int(text), text.utf8.count == 3 else { return false }
        return (100...599).contains(code) && code != 101
    }

    /// What was received, as httpbin shows it: a form body (`curl -d`) under `form`, any other
    /// body as text under `data`. Repeated names are joined with ", ".
    static func anything(_ request: ServiceRequest) -> Reply {
        func joined(_ pairs: [(name: String, value: String)]) -> [String: String] {
            Dictionary(pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { "\($0), \($1)" })
        }
        let isForm = request.hasFormContent
        return .served(.json([
            "method": request.method,
            "path": request.path,
            "args": joined(request.query),
            "headers": joined(request.headers),
            "form": isForm ? joined(FormEncoding.pairs(request.body)) : [:],
            "data": isForm ? "" : String(decoding: request.body.prefix(4096), as: UTF8.self),
        ]))
    }
}

extension MockService {
    /// Only the user named in the URL, with the password named there, gets in; the challenge
    /// names Basic whatever came. The hidden variant hides from strangers: 404 for no
    /// credentials and for wrong ones, as the `auth` diagram's `hide-from-strangers` says.
    func basicGuard(_ request: ServiceRequest, _ parameters: [String: String], hidden: Bool) -> Guard {
        var credentials = Credentials.from(request)
        switch credentials {
        case .basic, .malformed(scheme: "Basic", _): break
        default: credentials = .otherScheme("Basic")
        }
        let (name, secret) = (parameters["user"] ?? "", parameters["passwd"] ?? "")
        let passwords: AuthDecision.PasswordCheck = { user, password in
            user == name && constantTimeEquals(password, secret) ? .init(user: user, scopes: []) : nil
        }
        return Guard(resource: .init(hiddenFromStrangers: hidden, path: request.path), credentials: credentials, passwords: passwords)
    }

    /// RFC 7616 Digest: the route's own check of the Authorization header, its challenge
    /// parameters (a fresh nonce; `stale=true` when the nonce expired).
    func digestGuard(_ request: ServiceRequest, _ parameters: [String: String]) -> Guard {
        let qop = parameters["qop"] ?? ""
        let algorithm = DigestAuth.algorithm(parameters["algorithm"]) ?? .md5
        let user = parameters["user"] ?? "", password = parameters["passwd"] ?? ""
        var access = Guard(resource: .init(path: request.path), credentials: .otherScheme("Digest"))
        if let header = request.header("Authorization"), header.lowercased().hasPrefix("digest ") {
            switch digest.verify(header, method: request.method, target: request.target, body: request.body,
                                 user: user, password: password, qop: qop, algorithm: algorithm) {
            case .valid: access.credentials = .checked(user: user, result: .valid)
            case .wrong: access.credentials = .checked(user: user, result: .wrong)
            case .hashedWithSHA256:
                access.credentials = .checked(user: user, result: .wrong)
                access.note = "The response parameter was computed with SHA-256, not SHA-512/256 as algorithm=SHA-512-256 asks "
                    + "(RFC 7616 §3.2); older curl releases do this. Try SHA-256, or a newer client."
            case .stale: access.credentials = .checked(user: user, result: .expired)
            case .malformed(let why): access.credentials = .malformed(scheme: "Digest", why: why)
            }
        }
        let stale = access.credentials == .checked(user: user, result: .expired)
        access.challenge = digest.challengeParameters(qop: qop, algorithm: algorithm, stale: stale)
        return access
    }

    /// Only a Bearer token counts; the challenge names Bearer whatever came.
    func bearerGuard(_ request: ServiceRequest) -> Guard {
        var credentials = Credentials.from(request)
        switch credentials {
        case .bearer, .malformed(scheme: "Bearer", _): break
        default: credentials = .otherScheme("Bearer")
        }
        return Guard(resource: .init(path: request.path), credentials: credentials)
    }

    /// Any code from 100 to 599 (but 101) with the headers it requires (HeaderRules) and the
    /// usual optional ones: the code the learner asked for, which no diagram decides. A 1xx
    /// cannot be a final response: it goes out as an interim response before a 200 (103 with
    /// a `Link` hint).
    func status(_ text: String) -> Reply {
        let code = Int(text) ?? 200
        if code < 200 {
            let hints = code == 103 ? [("Link", "</style.css>; rel=preload; as=style")] : []
            return .echo(status: 200, interim: [InterimResponse(status: code, headers: hints)],
                         .text("\(StatusRegistry.statusText(code)) came first, as an interim response; this 200 OK is the final one. "
                               + "An HTTP/1.0 client gets only the 200: 1xx responses must not go to it (RFC 9110 §15.2).\n", extra: hints))
        }
        var headers: [(name: String, value: String)] = []
        for name in HeaderRules.requiredHeaders(for: code) {
            switch name {
            case "WWW-Authenticate": headers.append((name, "Basic realm=\"\(diagrams.realm)\", charset=\"UTF-8\""))
            case "Proxy-Authenticate": headers.append((name, "Basic realm=\"\(diagrams.realm)-proxy\""))
            case "Allow": headers.append((name, "GET, HEAD"))
            case "Location": headers.append((name, "/status/200"))
            case "Upgrade": headers.append((name, "websocket"))
            default: break
            }
        }
        if code == 429 || code == 503 { headers.append(("Retry-After", "30")) }
        headers.append((StatusLabHeader.note, "This endpoint answers with the code you asked for; no diagram decides it."))
        return .echo(status: code, interim: [], .text("\(StatusRegistry.statusText(code))\n", extra: headers))
    }
}
