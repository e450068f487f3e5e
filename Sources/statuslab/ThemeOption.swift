import ArgumentParser
import Foundation
import StatusLabContent
import StatusLabTUI

/// `--theme` and `--no-mouse`, taken by the commands that open the full-screen interface.
struct InterfaceOptions: ParsableArguments {
    @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal (its own selection and copy); keys do everything.")
    var noMouse = false

    static var builtInNames: [String] { EmbeddedThemes.files.map(\.name) }

    @Option(help: ArgumentHelp(
        "Colours: default, light, high-contrast, monochrome, or a .theme file of your own (the format: assets/themes/ in StatusLab's source). Also read from STATUSLAB_THEME.",
        valueName: "name|file"))
    var theme: String?

    /// The chosen theme's colours, or nil for the built-in default. A bad choice ends the
    /// program with a message before the terminal is touched.
    func palette() throws -> Theme.Palette? { try Self.palette(theme: theme) }

    static func palette(theme: String?) throws -> Theme.Palette? {
        // getenv, not ProcessInfo: this runs on every start, and ProcessInfo copies the whole environment.
        let environment = getenv("STATUSLAB_THEME").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        guard let choice = theme ?? environment else { return nil }
        let source = theme != nil ? "--theme" : "STATUSLAB_THEME"
        let text: String
        let label: String
        if let builtIn = EmbeddedThemes.files.first(where: { $0.name == choice }) {
            (text, label) = (builtIn.text, "the built-in theme `\(choice)`")
        } else if choice.contains("/") || choice.hasSuffix(".theme") {
            guard let contents = FileManager.default.contents(atPath: choice).flatMap({ String(data: $0, encoding: .utf8) }) else {
                Output.error("statuslab: \(source): cannot read the theme file \(choice).")
                throw ExitCode(2)
            }
            (text, label) = (contents, choice)
        } else {
            Output.error("statuslab: \(source): there is no theme `\(choice)`. Themes: \(Self.builtInNames.joined(separator: ", ")), or a path to a .theme file.")
            throw ExitCode(2)
        }
        do {
            return try ThemeFile.parse(text)
        } catch {
            Output.error("statuslab: \(label): \(error.description)")
            throw ExitCode(2)
        }
    }
}
