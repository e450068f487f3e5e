import Foundation
import Testing

/// The build step that carries content/ into the binary: it refuses content that fails its check.
@Suite struct EmbedderTests {
    let embedder = URL(fileURLWithPath: statuslab).deletingLastPathComponent().appendingPathComponent("content-embedder").path

    func embed(_ content: URL, into output: URL) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: embedder)
        process.arguments = [output.path, content.path, repositoryRoot.appendingPathComponent("assets/themes").path]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: "", stderr: String(decoding: errData, as: UTF8.self))
    }

    @Test func brokenContentFailsTheBuildAtItsLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("embed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = folder.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("content"), to: content)
        let output = folder.appendingPathComponent("Embedded.swift")

        let good = try embed(content, into: output)
        #expect(good.status == 0, "\(good)")
        let source = try String(contentsOf: output, encoding: .utf8)
        #expect(source.contains("let embeddedContentFiles: [(path: String, text: String)] = ["))
        #expect(source.contains("(\"codes/401.md\", \"title: Unauthorized\\n"))
        #expect(source.contains("(\"default.theme\", "))

        let page = content.appendingPathComponent("codes/404.md")
        let text = try String(contentsOf: page, encoding: .utf8)
        try text.replacingOccurrences(of: "title: Not Found", with: "title: Missing").write(to: page, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: output)
        let bad = try embed(content, into: output)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("\(content.path)/codes/404.md:1: error: title is `Missing`; the registry names 404 `Not Found`"), "\(bad)")
        #expect(!FileManager.default.fileExists(atPath: output.path), "nothing is written for content that fails")
    }
}
