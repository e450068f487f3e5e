import Foundation
import PackagePlugin

/// Build-tool plugin: checks `content/` and turns it and `assets/themes/` into Swift source at
/// build time, so the built binary carries its content and themes, works offline when copied
/// anywhere, and cannot be built from content that fails its check.
@main
struct EmbedContentPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folders = ["content", "assets/themes"]
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedContentFiles.swift")
        var inputs: [URL] = []
        var arguments = [output.path]
        for folder in folders {
            let directory = context.package.directoryURL.appending(path: folder)
            inputs.append(directory)
            if let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) {
                for case let url as URL in walker where !url.hasDirectoryPath { inputs.append(url) }
            }
            arguments.append(directory.path)
        }
        return [
            .buildCommand(
                displayName: "Checking and embedding content/ and assets/themes/ (\(inputs.count - folders.count) files)",
                executable: try context.tool(named: "content-embedder").url,
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}
