import Foundation
import StatusLabCore

/// The room's pages, in HTML for a browser and plain text for curl: the home page (how to
/// join, the exercises), the welcome a join gets, and a learner's own page.
enum RoomPages {
    /// `http://HOST:PORT` as the request named the server (its Host field).
    static func origin(_ request: ServiceRequest) -> String {
        let host = request.header("Host").flatMap { ServiceFront.isValidHost($0) && !$0.isEmpty ? $0 : nil } ?? "127.0.0.1"
        return "http://" + host
    }

    static func wantsHTML(_ request: ServiceRequest) -> Bool { (request.header("Accept") ?? "").contains("text/html") }
    static func wantsJSON(_ request: ServiceRequest) -> Bool { (request.header("Accept") ?? "").contains("application/json") }

    static func home(_ room: LiveRoom, _ request: ServiceRequest) -> Content {
        let origin = origin(request)
        let join = "curl -u 'YOUR NAME:CODE' -X POST \(origin)/room/join"
        let exercises = room.exercises.enumerated().map { index, exercise in
            (number: index + 1, title: exercise.title, goal: exercise.at(base: "YOUR-BASE-URL").goal.plainText)
        }
        if wantsHTML(request) {
            let list = exercises.map { "<li><b>\(escape($0.title))</b>: \(escape($0.goal))</li>" }.joined()
            return .html("""
                <!doctype html><meta charset="utf-8"><title>\(escape(room.title))</title><h1>\(escape(room.title))</h1>
                <p>Join with your name and the code on the instructor's screen. You get a personal base URL: send every request under it, and it counts for you.</p>
                <form method="post" action="/room/join"><label>Name <input name="name" maxlength="\(LearnerName.maxLength)"></label> <label>Code <input name="code" inputmode="numeric"></label> <button>Join</button></form>
                <p>Or from a terminal: <code>\(escape(join))</code></p>
                <h2>Exercises</h2><ol>\(list)</ol>

                """, extra: [("Cache-Control", "no-store")])
        }
        var lines = [room.title, "", "Join with your name and the code on the instructor's screen:", "", "  " + join, "",
                     "The answer gives your personal base URL: send every request under it, and it counts for you.", "", "Exercises:"]
        lines += exercises.map { "  \($0.number). \($0.title): \($0.goal)" }
        return .text(lines.joined(separator: "\n") + "\n", extra: [("Cache-Control", "no-store")])
    }

    static func welcome(_ room: LiveRoom, _ learner: RoomLearner, base: String) -> String {
        var lines = ["Welcome to \(room.title), \(learner.name).", "", "Your base URL: \(base)",
                     "Send every request under it, and it counts for you; keep it to yourself.", "",
                     "  curl -i \(base)/api/notes/1", "", "Your page (progress, messages): \(base)/room"]
        if let first = room.exercises.first {
            lines += ["", "First exercise, \(first.title): " + first.at(base: base).goal.plainText]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func personal(_ room: LiveRoom, key: String, _ request: ServiceRequest) -> Content {
        guard let (learner, messages, title) = room.learner(key) else { return .text("") }
        let base = origin(request) + "/l/\(key)"
        let solved = room.exercises.filter { learner.solved[$0.id] != nil }.count
        let current = room.exercises.first { learner.solved[$0.id] == nil }?.at(base: base)
        let notes = messages.suffix(10).reversed().map { "[\($0.to == nil ? "to everyone" : "to you")] \($0.text)" }
        if wantsHTML(request) {
            let next = current.map { "<h2>Next: \(escape($0.title))</h2><p>\(escape($0.goal.plainText))</p>" } ?? "<p>Every exercise is solved. Well done.</p>"
            let list = notes.map { "<li>\(escape($0))</li>" }.joined()
            return .html("""
                <!doctype html><meta charset="utf-8"><title>\(escape(title))</title><h1>\(escape(learner.name)) in \(escape(title))</h1>
                <p>Your base URL: <code>\(escape(base))</code>. Solved \(solved) of \(room.exercises.count).</p>\(next)
                <h2>Messages</h2><ul>\(list)</ul>

                """, extra: [("Cache-Control", "no-store")])
        }
        var lines = ["\(learner.name) in \(title): solved \(solved) of \(room.exercises.count).", "Your base URL: \(base)", ""]
        if let current { lines += ["Next, \(current.title): " + current.goal.plainText] } else { lines.append("Every exercise is solved. Well done.") }
        if !notes.isEmpty { lines += ["", "Messages, newest first:"] + notes.map { "  " + $0 } }
        return .text(lines.joined(separator: "\n") + "\n", extra: [("Cache-Control", "no-store")])
    }
}
