import Foundation
import StatusLabCore

/// A response's content as rows a person reads: JSON indented (problem details' members
/// labelled first), HTML as its text, anything else as it came, bytes that are not UTF-8 said so.
enum ContentRows {
    /// The content, made readable: JSON indented (problem details' members labelled first),
    /// HTML as text, anything else as it came (bytes that are not UTF-8 said so).
    static func body(_ response: WireResponse, width: Int, theme: Theme) -> [LabRow] {
        guard !response.body.isEmpty else { return [] }
        let type = (response.header("Content-Type") ?? "").lowercased()
        var rows: [LabRow] = []
        if type.contains("json"), let object = try? JSONSerialization.jsonObject(with: Data(response.body)) {
            if type.contains("problem+json"), let members = object as? [String: Any] {
                rows.append(LabRow("Problem details (RFC 9457)", theme.style(.heading)))
                for key in ["type", "title", "status", "detail", "instance"] where members[key] != nil {
                    rows += LabViews.wrap("\(key): \(members[key]!)", width: width, style: .plain)
                }
                return rows
            }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .flatMap { hardWrap(String($0), width: width, style: theme.style(Theme.Role.code)) }
        }
        var text: String
        if let decoded = String(validatingUTF8Bytes: response.body) {
            text = decoded
        } else {
            rows.append(LabRow("The content is not UTF-8; bytes that are not are shown as �.", theme.style(.muted)))
            text = String(decoding: response.body, as: UTF8.self)
        }
        if type.contains("html") { text = htmlAsText(text) }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(2000) {
            rows += LabViews.wrap(String(line).replacingOccurrences(of: "\r", with: ""), width: width, style: .plain)
        }
        return rows
    }

    /// An HTML page as its text reads: the title (also shown as the page's first heading) is
    /// left out, and headings, paragraphs, list items, forms and line breaks start lines, so a
    /// login page reads "Log in" / "User  Password  Log in", not one run of repeated words.
    static func htmlAsText(_ html: String) -> String {
        let blocks: Set<String> = ["h1", "h2", "h3", "p", "li", "ul", "ol", "form", "br", "div", "tr", "title"]
        var lines: [String] = [""]
        var index = html.startIndex
        var skipping = false
        while index < html.endIndex {
            let character = html[index]
            guard character == "<", let close = html[index...].firstIndex(of: ">") else {
                if !skipping { lines[lines.count - 1].append(character) }
                index = html.index(after: index)
                continue
            }
            let tag = html[html.index(after: index)..<close].lowercased()
            let name = String(tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber })
            if name == "title" { skipping = !tag.hasPrefix("/") }
            if blocks.contains(name) { lines.append("") } else { lines[lines.count - 1].append(" ") }
            index = html.index(after: close)
        }
        let entities = ["&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&amp;": "&"]
        return lines.map { line in
            var line = line
            for (entity, value) in entities { line = line.replacingOccurrences(of: entity, with: value) }
            return line.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
        }.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// Cut at `width` columns, keeping every space (indentation matters in JSON).
    static func hardWrap(_ text: String, width: Int, style: Style) -> [LabRow] {
        guard width > 4 else { return [LabRow(text, style)] }
        var rows: [LabRow] = []
        var line = ""
        var used = 0
        for character in text {
            let cells = DisplayWidth.of(String(character))
            if used + cells > width {
                rows.append(LabRow(line, style))
                line = ""
                used = 0
            }
            line.append(character)
            used += cells
        }
        rows.append(LabRow(line, style))
        return rows
    }
}

extension String {
    /// The bytes as text if they are valid UTF-8.
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var text = ""
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): text.unicodeScalars.append(scalar)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = text
    }
}
