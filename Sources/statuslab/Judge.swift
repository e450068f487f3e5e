import ArgumentParser
import Foundation
import StatusLabCheck
import StatusLabCore

/// `statuslab judge FILE…`: judges recorded traffic by the decision model.
struct Judge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judge",
        abstract: "Judge recorded traffic (HAR, or StatusLab's JSON lines) by the decision model.",
        discussion: """
            Reads HAR 1.2 (browser devtools, Schemathesis's --report har, proxies) or the JSON \
            lines `serve --record` and the Lab write, and judges every exchange without knowing \
            what the API meant: what the request shows (credentials or none, their scheme, \
            whether they parse; a browser navigating or a script asking for JSON) walks the auth \
            diagram, and the answer is held to it and to what its code must carry. Ids in paths \
            are folded into route templates to compare callers. Each finding names the exchange, \
            what was expected, the diagram path and the page to read. Exit 1 on any finding, 2 \
            on a file that is neither HAR nor JSON lines (naming the entry or line that broke).
            """
    )

    @Argument(help: ArgumentHelp("Files of recorded traffic.", valueName: "file")) var files: [String]
    @Option(help: ArgumentHelp("text, json or junit.", valueName: "format")) var format: CheckReport.Format = .text
    @OptionGroup var options: GlobalOptions

    func run() throws {
        let library = try options.loadLibrary()
        guard let auth = library.diagram("auth") else {
            Output.error("statuslab: the content has no `auth` diagram to judge by.")
            throw ExitCode(2)
        }
        var judged: [TrafficReport.File] = []
        var broken = false
        for file in files {
            if let report = Self.reading(file, { (data) throws(TrafficFile.Problem) in try TrafficReport.judge(data, name: file, auth: auth) }) {
                judged.append(report)
            } else {
                broken = true
            }
        }
        if broken { throw ExitCode(2) }
        let report = TrafficReport(files: judged)
        print(report.render(format), terminator: "")
        if report.findingCount > 0 { throw ExitCode(1) }
    }

    /// Reads a recording and hands it to `use`; what goes wrong is said (`FILE entry 12:
    /// message`) and nil returned. Mapped, not read: a large file costs pages as they are judged.
    static func reading<T>(_ file: String, _ use: (Data) throws(TrafficFile.Problem) -> T) -> T? {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped) } catch {
            Output.error("statuslab: \(file): \(error.localizedDescription)")
            return nil
        }
        do { return try use(data) } catch {
            Output.error("statuslab: \(file)\(error.place.isEmpty ? "" : " \(error.place)"): \(error.message)")
            return nil
        }
    }
}
