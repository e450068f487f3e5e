import Foundation

/// `/app/…`: the browser area. A login form sets a session cookie; a browser that is not logged
/// in is sent to the form (or gets 401, by policy) as the `auth` diagram decides; where the
/// browser goes after a form is the `redirect` diagram's.
enum BrowserRoutes {
    static let sessionCookie = "statuslab_session"

    static let routes: [Route] = [
        Route("/app", ["GET"], about: nil) { _, _, _ in
            .served(.html("<!doctype html><title>StatusLab demo</title><h1>StatusLab demo</h1><p><a href=\"/app/notes\">Your notes</a> · <a href=\"/app/login\">Log in</a></p>\n"))
        },
        Route("/app/login", ["GET", "POST"], about: nil) { service, request, _ in service.login(request) },
        Route("/app/logout", ["POST"], about: nil) { service, request, _ in service.logout(request) },
        Route("/app/notes", ["GET"], about: "browser area: a login form and a session cookie", guarded: { _, request, _ in
            Guard(resource: .init(browser: true, path: request.path), credentials: Credentials.from(request, sessionCookie: BrowserRoutes.sessionCookie))
        }) { _, _, served in
            let mine = DemoWorld.notes.filter { $0.owner == served.identity?.user }.map { "<li>\(escape($0.text))</li>" }.joined()
            return .served(.html("<!doctype html><title>Notes</title><h1>\(escape(served.identity?.user ?? ""))'s notes</h1><ul>\(mine)</ul>"
                                 + "<form method=\"post\" action=\"/app/logout\"><button>Log out</button></form>\n"))
        },
    ]

    static let privateAreas = [
        PrivateArea(prefix: "/app/") { _, request in
            Guard(resource: .init(browser: true, path: request.path), credentials: Credentials.from(request, sessionCookie: BrowserRoutes.sessionCookie))
        },
    ]

    /// `next` accepts local paths only: `/app/notes`, never `https://…`, `//host` or `/\host`.
    static func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.hasPrefix("/\\"),
              !value.contains("\r"), !value.contains("\n") else { return "/app/notes" }
        return value
    }
}

extension MockService {
    func login(_ request: ServiceRequest) -> Reply {
        let next = BrowserRoutes.safeNext(request.queryValue("next"))
        if request.method == "GET" {
            let form = "<!doctype html><title>Log in</title><h1>Log in</h1><form method=\"post\" action=\"/app/login\">"
                + "<input type=\"hidden\" name=\"next\" value=\"\(escape(next))\">"
                + "<label>User <input name=\"user\"></label> <label>Password <input name=\"password\" type=\"password\"></label>"
                + "<button>Log in</button></form>\n"
            return .served(.html(form, extra: [("Cache-Control", "no-store")]))
        }
        let fields = FormEncoding.fields(request.body)
        let target = BrowserRoutes.safeNext(fields["next"] ?? request.queryValue("next"))
        guard let user = DemoWorld.user(fields["user"] ?? ""), constantTimeEquals(fields["password"] ?? "", user.password) else {
            // A failed login form is a page again, with the reason; not an HTTP authentication failure.
            return .served(.html("<!doctype html><title>Log in</title><p>Unknown user or wrong password. <a href=\"/app/login?next=\(escape(target))\">Try again</a></p>\n",
                                 extra: [("Cache-Control", "no-store")]))
        }
        let session = sessions.create(for: user.name)
        return afterForm(location: target, cookie: "\(BrowserRoutes.sessionCookie)=\(session); Path=/app; HttpOnly; SameSite=Lax")
    }

    func logout(_ request: ServiceRequest) -> Reply {
        if let id = request.cookies[BrowserRoutes.sessionCookie] { sessions.end(id) }
        return afterForm(location: "/app/login", cookie: "\(BrowserRoutes.sessionCookie)=; Path=/app; HttpOnly; SameSite=Lax; Max-Age=0")
    }

    /// Where the browser goes after a form post, decided by the `redirect` diagram (a 303 to a
    /// page it fetches with GET), with the session cookie the form set or ended.
    private func afterForm(location: String, cookie: String) -> Reply {
        var facts = Facts()
        facts.set(.validatorMatches, false)
        facts.set(.seeOtherResource, true)
        guard case .decided(let decided) = diagrams.walk(.redirect, facts) else {
            return .bug("The redirect diagram asked a question this server does not answer.\n")
        }
        let page = OutcomeResponse(values: ["location": location]).build(decided)
        return .decided(decided, Content(headers: page.headers + [("Set-Cookie", cookie), ("Cache-Control", "no-store")], body: page.body))
    }
}
