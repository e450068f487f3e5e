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

/// The colour themes of `assets/themes/` as they were when the binary was built.
public enum EmbeddedThemes {
    /// Theme name (the file name without `.theme`) and the file's text.
    public static let files: [(name: String, text: String)] = embeddedThemeFiles.compactMap { entry in
        guard entry.path.hasSuffix(".theme"), let data = Data(base64Encoded: entry.base64),
              let text = String(data: data, encoding: .utf8) else { return nil }
        return (String(entry.path.dropLast(".theme".count)), text)
    }
}
