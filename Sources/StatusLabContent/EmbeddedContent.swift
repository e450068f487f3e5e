/// The content folder as it was when the binary was built, checked then (see
/// Plugins/EmbedContentPlugin).
public enum EmbeddedContent {
    /// Every file of `content/`: its path inside the folder and its text.
    public static var files: [(path: String, text: String)] { embeddedContentFiles }
}

/// The colour themes of `assets/themes/` as they were when the binary was built.
public enum EmbeddedThemes {
    /// Theme name (the file name without `.theme`) and the file's text.
    public static var files: [(name: String, text: String)] {
        embeddedThemeFiles.filter { $0.path.hasSuffix(".theme") }.map { (String($0.path.dropLast(".theme".count)), $0.text) }
    }
}
