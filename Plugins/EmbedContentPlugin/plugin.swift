import Foundation
import PackagePlugin

/// Build-tool plugin: turns `content/` and `assets/themes/` into Swift source at build time,
/// so the built binary carries its content and themes and works offline when copied anywhere.
@main
struct EmbedContentPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folders = [("embeddedContentFiles", "content"), ("embeddedThemeFiles", "assets/themes")]
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedContentFiles.swift")
        var inputs: [URL] = []
        var arguments = [output.path]
        for (variable, folder) in folders {
            let directory = context.package.directoryURL.appending(path: folder)
            inputs.append(directory)
            if let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) {
                for case let url as URL in walker where !url.hasDirectoryPath { inputs.append(url) }
            }
            arguments.append("\(variable)=\(directory.path)")
        }
        return [
            .buildCommand(
                displayName: "Embedding content/ and assets/themes/ (\(inputs.count - folders.count) files)",
                executable: try context.tool(named: "content-embedder").url,
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}
