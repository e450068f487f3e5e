import Foundation
import PackagePlugin

/// Turns every file under the package's `content/` into Swift source for StatusLabContent,
/// so the built binary carries its content and works offline when copied anywhere.
@main
struct EmbedContentPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let content = context.package.directoryURL.appending(path: "content")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedContentFiles.swift")
        var inputs: [URL] = [content]
        if let walker = FileManager.default.enumerator(at: content, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where !url.hasDirectoryPath { inputs.append(url) }
        }
        return [
            .buildCommand(
                displayName: "Embedding content/ (\(inputs.count - 1) files)",
                executable: try context.tool(named: "content-embedder").url,
                arguments: [content.path, output.path],
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}
