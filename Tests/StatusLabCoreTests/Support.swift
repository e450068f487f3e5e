import StatusLabContent
import Testing
@testable import StatusLabCore

/// The built-in content as files, as the binary sees it.
let builtInFiles: [ContentFile] = EmbeddedContent.files.map { ContentFile(path: $0.path, text: $0.text) }

let builtInLibrary: ContentLibrary = {
    do { return try ContentLibrary.load(builtInFiles) } catch { fatalError("built-in content fails its check:\n\(error)") }
}()

/// The built-in content with one file changed (or removed when `change` returns nil).
func contentWith(_ path: String, _ change: (String) -> String?) -> [ContentFile] {
    var files = builtInFiles.filter { $0.path != path }
    if let original = builtInFiles.first(where: { $0.path == path }), let changed = change(original.text) {
        files.append(ContentFile(path: path, text: changed))
    }
    return files
}

/// The 1-based number of the first line of `text` containing `needle`.
func lineNumber(of needle: String, in text: String) -> Int? {
    text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }.map { $0 + 1 }
}

extension ContentLibrary: CustomTestStringConvertible {
    public var testDescription: String { "ContentLibrary(\(pages.count) pages, \(diagrams.count) diagrams)" }
}
