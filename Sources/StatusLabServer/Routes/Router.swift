/// The route table, made of the route families (one file each in `Routes/`), and the lookups
/// the verdict makes with it. Adding a route is a line in its family's file.
enum Router {
    static let routes: [Route] = IndexRoute.routes + APIRoutes.routes + TokenRoute.routes + BrowserRoutes.routes + HttpbinRoutes.routes

    /// Areas whose unknown paths are private too (`PrivateArea`), from the same families.
    static let privateAreas: [PrivateArea] = APIRoutes.privateAreas + BrowserRoutes.privateAreas + HttpbinRoutes.privateAreas

    /// The methods a route may have: `ANY` in the index means all of them.
    static let everyMethod = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    /// Every route's path pattern (`/api/notes/{id}`), for completion in the Lab.
    static var routePaths: [String] { routes.map(\.path) }

    /// Every method some route answers: any other is one the server does not implement (501).
    static let knownMethods: Set<String> = Set(routes.flatMap(\.allowed))

    typealias Match = (route: Route, parameters: [String: String])

    /// The routes whose pattern matches `path`, with their parameters, in table order.
    static func matches(_ path: String) -> [Match] {
        if let routes = literalRoutes[path] { return routes.map { ($0, [:]) } }
        let segments = path.split(separator: "/").map(String.init)
        let candidates = routesByFirstSegment[segments.first ?? ""] ?? []
        return candidates.compactMap { route in route.match(segments).map { (route, $0) } }
    }

    static func privateArea(containing path: String) -> PrivateArea? { privateAreas.first { path.hasPrefix($0.prefix) } }

    /// The routes of each path that only routes without parameters match, found in one lookup
    /// (the same answer as matching every route, which the other paths do).
    private static let literalRoutes: [String: [Route]] = {
        let literal = routes.filter { !$0.pattern.contains { $0.hasPrefix("{") } }
        let byPath = Dictionary(grouping: literal, by: \.path)
        return byPath.filter { _, routes in
            !Router.routes.contains { route in route.pattern.contains { $0.hasPrefix("{") } && route.match(routes[0].pattern) != nil }
        }
    }()

    /// The routes with parameters, by their first segment (none starts with a parameter), so a
    /// request tries only the few that can match.
    private static let routesByFirstSegment: [String: [Route]] = {
        precondition(!routes.contains { $0.pattern.first?.hasPrefix("{") ?? false }, "a route starts with a parameter")
        return Dictionary(grouping: routes) { $0.pattern.first ?? "" }
    }()
}
