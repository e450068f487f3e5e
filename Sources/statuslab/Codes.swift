import ArgumentParser
import StatusLabCore

struct Codes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "List every registered status code, one `CODE Reason` line each."
    )

    @Option(name: .customLong("class"), help: ArgumentHelp("Only this class: 1xx, 2xx, 3xx, 4xx or 5xx.", valueName: "class"))
    var statusClass: String?

    @OptionGroup var options: GlobalOptions

    func validate() throws {
        if let statusClass, StatusClass(label: statusClass) == nil {
            throw ValidationError("--class takes 1xx, 2xx, 3xx, 4xx or 5xx, not `\(statusClass)`.")
        }
    }

    func run() throws {
        let library = try options.loadLibrary()
        let wanted = statusClass.flatMap(StatusClass.init(label:))
        let renderer = PlainRenderer(width: 80, color: Output.colorStdout)
        for page in library.codePages where wanted == nil || page.statusClass == wanted {
            let number = renderer.paint(page.id, page.statusClass.map { .color($0.color) } ?? .plain)
            print("\(number) \(page.title)")
        }
    }
}
