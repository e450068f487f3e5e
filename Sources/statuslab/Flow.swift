import ArgumentParser
import Foundation
import StatusLabCore
import StatusLabTerminal
import StatusLabTUI

struct Flow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Walk a decision diagram to a status code: on screen, or line by line with --plain; or write it with --format.",
        discussion: """
            With --plain, each question is printed with numbered choices; answer with a number \
            (or y/n). The walk ends with a line `outcome: <code> <reason>`. End of input or an \
            answer that is not one of the choices is an error (exit 1).
            """
    )

    @Argument(help: ArgumentHelp("The diagram to walk (see --list).", valueName: "name"))
    var name = "auth"

    @Flag(help: "Walk on standard input and output instead of the full screen.")
    var plain = false

    @Flag(help: "List the diagrams and exit.")
    var list = false

    @Option(help: ArgumentHelp("Write the diagram as text for slides and handouts instead: mermaid (rendered in Markdown on code-hosting sites) or dot (Graphviz: dot -Tsvg).",
                               valueName: "mermaid|dot"))
    var format: DiagramExport.Format?

    func validate() throws {
        if format != nil, plain { throw ValidationError("--format writes the diagram; --plain walks it: choose one.") }
    }

    @OptionGroup var options: GlobalOptions
    @OptionGroup var interface: InterfaceOptions

    func run() throws {
        let library = try options.loadLibrary()
        if list {
            for diagram in library.diagrams {
                print("\(diagram.id)\t\(diagram.title)")
            }
            return
        }
        guard let diagram = library.diagram(name) else {
            Output.error("statuslab: there is no diagram `\(name)`. Diagrams: \(library.diagrams.map(\.id).joined(separator: ", ")).")
            throw ExitCode(1)
        }
        if let format {
            print(DiagramExport.text(diagram, format: format), terminator: "")
            return
        }
        guard plain else {
            try Interface.run(root: FlowchartScreen(diagram: diagram, library: library), palette: interface.palette(), mouse: !interface.noMouse)
            return
        }
        let flow = PlainFlow(diagram: diagram, renderer: PlainRenderer(width: Output.width, color: Output.colorStdout))
        let result = flow.run(
            readLine: Output.readAnswer,
            write: Output.write,
            fail: { Output.error($0) })
        if case .decided = result { return }
        throw ExitCode(1)
    }
}

extension DiagramExport.Format: ExpressibleByArgument {}
