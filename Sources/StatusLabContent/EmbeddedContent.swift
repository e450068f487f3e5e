import Foundation

/// The content folder as it was when the binary was built (see Plugins/EmbedContentPlugin).
public enum EmbeddedContent {
    /// Every file of `content/`: its path inside the folder and its text.
    public static let files: [(path: String, text: String)] = embeddedContentFiles.compactMap { entry in
        guard let data = Data(base64Encoded: entry.base64), let text = String(data: data, encoding: .utf8) else {
            return nil
        }
        return (entry.path, text)
    }
}
