import ArgumentParser
import Foundation
import StatusLabCore

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print the reference page(s) for a status code, a header or some words.",
        discussion: """
            Examples: statuslab explain 401 · statuslab explain www-authenticate · \
            statuslab explain hide · statuslab explain expired token
            """
    )

    @Argument(help: ArgumentHelp("A status code (401), a page name (bearer) or words (login, hide).", valueName: "code|words"))
    var query: [String]

    @Option(help: "Print at most this many full pages; further matches are listed by name.")
    var limit = 3

    @OptionGroup var options: GlobalOptions

    func validate() throws {
        if query.joined().trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("Say what to explain: a code such as 401, or words such as `login`.")
        }
        if limit < 1 { throw ValidationError("--limit must be at least 1.") }
    }

    func run() throws {
        let library = try options.loadLibrary()
        let text = query.joined(separator: " ")
        let matches = library.search(text)
        guard let best = matches.first else {
            if let number = Int(text), number >= 0 {
                Output.error("statuslab: \(number) is not a registered HTTP status code. `statuslab codes` lists them all.")
            } else {
                Output.error("statuslab: no page matches “\(text)”. Try other words, or `statuslab codes` for the list.")
            }
            throw ExitCode(1)
        }
        // Pages that match about as well as the best one are printed; the rest are named.
        let strong = matches.filter { $0.score * 2 >= best.score }.prefix(limit)
        let renderer = PlainRenderer(width: Output.width, color: Output.colorStdout)
        var sections: [String] = []
        for match in strong {
            let page = match.page
            sections.append(renderer.render(title: page.displayTitle, statusClass: page.statusClass,
                                            document: PageDocument.document(for: page, in: library)))
        }
        print(sections.joined(separator: "\n"), terminator: "")
        let shown = Set(strong.map(\.page.id))
        let others = matches.filter { !shown.contains($0.page.id) }
        if !others.isEmpty {
            let names = others.prefix(12).map(\.page.displayTitle).joined(separator: ", ")
            print("\nAlso matching: \(names)\(others.count > 12 ? ", …" : "")")
        }
    }
}
