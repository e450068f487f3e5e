/// Spec references are written one way everywhere: `RFC 9110 §15.5.2`, `RFC 6750`, or a
/// draft name. This is the one place that knows the form.
public enum SpecReference {
    nonisolated(unsafe) static let wellFormed = /^(RFC [1-9][0-9]{0,4}( §[1-9A-Z][0-9]*(\.[0-9]+)*)?|draft-[a-z0-9-]+)$/
    nonisolated(unsafe) static let glued = /RFC[0-9]/
    nonisolated(unsafe) static let sectionWord = /RFC [0-9]+,? [Ss]ection|[Ss]ection [0-9.]+ of RFC/
    nonisolated(unsafe) static let looseSection = /§(?![1-9A-Z])/

    public static func isWellFormed(_ reference: String) -> Bool {
        reference.wholeMatch(of: wellFormed) != nil
    }

    /// Problems with references written in prose, one message each.
    public static func problems(inProse line: Substring) -> [String] {
        var messages: [String] = []
        if line.contains(glued) { messages.append("write spec references as `RFC 9110` (with a space)") }
        if line.contains(sectionWord) { messages.append("write sections as `RFC 9110 §15.5.2`, not with the word section") }
        if line.contains(looseSection) { messages.append("a § must be followed directly by a section number, as in §15.5.2") }
        return messages
    }
}
