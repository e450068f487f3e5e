import Foundation
import StatusLabCore

/// A row of a Lab view: styled runs, and what Enter does on it.
struct LabRow: Sendable {
    enum Target: Sendable, Equatable {
        case none
        /// A header line: opens its reference page.
        case page(String)
        /// A log entry, by its number.
        case logEntry(Int)
        /// A history entry, by its index.
        case historyEntry(Int)
    }

    var runs: [(String, Style)]
    var target: Target = .none

    init(_ runs: [(String, Style)], target: Target = .none) {
        self.runs = runs
        self.target = target
    }

    init(_ text: String, _ style: Style = .plain, target: Target = .none) {
        self.init([(text, style)], target: target)
    }

    static let blank = LabRow("")
}

extension LabRow: ListRow {
    var isSelectable: Bool { target != .none }
}

/// What each of the Lab's views shows, as rows: kept apart from the screen's keys and state.
enum LabViews {
    /// The headers that carry the lesson, emphasised, each with its reference page.
    static let lessonHeaders: [String: String] = [
        "www-authenticate": "www-authenticate", "proxy-authenticate": "proxy-authenticate", "location": "location",
        "allow": "allow", "set-cookie": "set-cookie", "retry-after": "retry-after", "content-type": "problem-details",
        "authorization": "authorization",
    ]

    static func response(_ exchange: WireExchange?, result: LabResult?, library: ContentLibrary, width: Int, now: Date,
                         theme: Theme) -> [LabRow] {
        guard let exchange else {
            return [LabRow("Nothing sent yet. s sends the request above; 1–5 switch views.", theme.style(.muted))]
        }
        var rows: [LabRow] = []
        if let result, result.exchanges.count > 1 {
            rows.append(LabRow("\(result.exchanges.count) exchanges (\(result.request.credentialsSummary)); this is the last. The Wire view (3) shows each.",
                               theme.style(.muted)))
        }
        // Notes and failures are sentences (a TLS failure names its cause and the way out): wrapped.
        if let note = result?.note { rows += wrap("! " + note, width: width, style: theme.style(.error)) }
        if let failure = exchange.failure {
            // The Response view points to the bytes; the Wire view shows them beside the failure.
            let pointer = exchange.received.isEmpty ? "" : "; the bytes received are under Wire (3)"
            rows += wrap("✗ " + failure + pointer, width: width, style: theme.style(.error))
        }
        guard let response = exchange.response else { return rows }
        for code in response.interim {
            rows.append(LabRow("\(response.version) \(StatusRegistry.statusText(code))   (interim)", theme.style(.muted)))
        }
        let statusStyle = StatusClass(code: response.status).map { theme.style($0) } ?? theme.style(.emphasis)
        let reason = response.reason.isEmpty ? (StatusRegistry.lookup(response.status)?.reason ?? "") : response.reason
        rows.append(LabRow([("\(response.version) ", .plain), ("\(response.status) \(reason)", statusStyle)]))
        for field in response.headers {
            var page = lessonHeaders[field.name.lowercased()].flatMap { library.page($0) != nil ? $0 : nil }
            if field.name.lowercased() == "content-type", !field.value.contains("problem+json") { page = nil }
            let lesson = lessonHeaders[field.name.lowercased()] != nil
            let nameStyle = page != nil ? theme.style(.link) : lesson ? theme.style(.emphasis) : theme.style(.muted)
            // Long values (a challenge, the decision) wrap at spaces, indented, so nothing is
            // cut off; only a word longer than a line (a token) is cut.
            let valueStyle = lesson ? theme.style(.emphasis) : Style.plain
            let target = page.map(LabRow.Target.page) ?? .none
            let pieces = width > 4
                ? TextWrapper.wrap([StyledRun(field.name + ": " + field.value)], width: width, hangingIndent: 2).map { $0.map(\.text).joined() }
                : [field.name + ": " + field.value]
            for (index, text) in pieces.enumerated() {
                if index == 0 {
                    rows.append(LabRow([(field.name, nameStyle), (String(text.dropFirst(field.name.count)), valueStyle)], target: target))
                } else {
                    rows.append(LabRow([("  " + text, valueStyle)], target: target))
                }
            }
        }
        rows.append(.blank)
        let size = response.body.count
        let milliseconds = Double(exchange.duration.components.seconds) * 1000 + Double(exchange.duration.components.attoseconds) / 1e15
        rows.append(LabRow("\(size) bytes of content · \(String(format: "%.1f", milliseconds)) ms" + (exchange.truncated ? " · cut off" : ""),
                           theme.style(.muted)))
        rows += ContentRows.body(response, width: width, theme: theme)
        if let (_, jwt) = tokens(in: result, response: response) {
            rows.append(.blank)
            rows.append(LabRow("JWT (decoded, not verified)", theme.style(.heading)))
            for (name, value) in jwt.header { rows.append(LabRow("  header  \(name): \(value)")) }
            for (name, value) in jwt.claims {
                var text = "  claim   \(name): \(value)"
                if name == "exp", let expires = jwt.expires {
                    text += "  (\(ISO8601DateFormatter().string(from: expires)), " + (jwt.hasExpired(at: now) ? "expired)" : "not expired yet)")
                }
                rows.append(LabRow(text))
            }
        }
        return rows
    }

    /// A JWT the request sent or the response carries, if any.
    static func tokens(in result: LabResult?, response: WireResponse) -> (String, JWT)? {
        let texts = response.headers.map(\.value) + [String(decoding: response.body.prefix(65536), as: UTF8.self)]
            + (result?.request.headerLines.map(\.value) ?? [])
        for text in texts { if let found = JWT.find(in: text) { return found } }
        return nil
    }

    /// A row as rows no wider than `width`: cut at the last space that fits when `atSpaces`
    /// (continuations indented by `hanging`), else between characters, so nothing is cut off
    /// the view (the Decision view's answers, a Set-Cookie's attributes on the Wire).
    static func fit(_ row: LabRow, width: Int, hanging: Int = 0, atSpaces: Bool) -> [LabRow] {
        guard width > hanging + 4 else { return [row] }
        var cells: [(character: Character, style: Style)] = row.runs.flatMap { text, style in text.map { ($0, style) } }
        var rows: [LabRow] = []
        while true {
            let available = rows.isEmpty ? width : width - hanging
            var used = 0, end = 0
            while end < cells.count {
                let cell = DisplayWidth.of(String(cells[end].character))
                if used + cell > available { break }
                used += cell
                end += 1
            }
            var cut = end
            if end < cells.count, atSpaces, let space = cells[..<end].lastIndex(where: { $0.character == " " }), space > 0 { cut = space + 1 }
            cut = max(cut, 1)
            var runs: [(String, Style)] = rows.isEmpty || hanging == 0 ? [] : [(String(repeating: " ", count: hanging), .plain)]
            for cell in cells.prefix(cut) {
                if let last = runs.last, last.1 == cell.style {
                    runs[runs.count - 1].0.append(cell.character)
                } else {
                    runs.append((String(cell.character), cell.style))
                }
            }
            rows.append(LabRow(runs, target: row.target))
            cells.removeFirst(min(cut, cells.count))  // an empty row makes one empty row
            if cells.isEmpty { return rows }
        }
    }

    static func wrap(_ text: String, width: Int, style: Style) -> [LabRow] {
        guard width > 4 else { return [LabRow(text, style)] }
        return TextWrapper.wrap([StyledRun(text)], width: width).map { line in LabRow(line.map(\.text).joined(), style) }
    }

    static func decision(_ response: WireResponse?, library: ContentLibrary, width: Int, theme: Theme) -> [LabRow] {
        decisionRows(response, library: library, theme: theme).flatMap { fit($0, width: width, hanging: 3, atSpaces: true) }
    }

    private static func decisionRows(_ response: WireResponse?, library: ContentLibrary, theme: Theme) -> [LabRow] {
        guard let response else { return [LabRow("No response yet.", theme.style(.muted))] }
        guard let record = response.decision else {
            return [LabRow("This response carries no StatusLab-Decision header: its server did not say why it chose \(response.status).",
                           theme.style(.muted))]
        }
        guard let diagram = library.diagram(record.diagram) else {
            return [LabRow("Decided by the `\(record.diagram)` diagram, which this content does not have.", theme.style(.error))]
        }
        var rows = [LabRow("Decided by the \(record.diagram) diagram: \(diagram.title)", theme.style(.heading))]
        for (index, step) in record.steps.enumerated() {
            let question = diagram.question(step.question)
            let answer = question?.answers.first { $0.value == step.answer }?.label ?? step.answer
            rows.append(LabRow([("\(index + 1). ", theme.style(.muted)), (question?.ask ?? step.question, .plain),
                                (" → ", theme.style(.muted)), (answer, theme.style(.emphasis))]))
        }
        let outcome = diagram.outcome(record.outcome)
        let statusStyle = StatusClass(code: record.status).map { theme.style($0) } ?? .plain
        rows.append(LabRow([("⇒ ", theme.style(.muted)), ("\(StatusRegistry.statusText(record.status))", statusStyle),
                            ("  \(outcome?.label ?? record.outcome)", .plain)]))
        if record.replay(in: diagram) == nil {
            rows.append(LabRow("These answers do not walk the diagram to that outcome here: the server's content differs from the Lab's.",
                               theme.style(.error)))
        }
        rows.append(.blank)
        rows.append(LabRow("f opens the flowchart with this path walked.", theme.style(.muted)))
        return rows
    }

    /// The bytes as they went, each line ending in a visible CR LF.
    static func wire(_ result: LabResult?, width: Int, theme: Theme) -> [LabRow] {
        // At a space where there is one, the rest indented: a wrapped header does not look like a
        // new one (the ␍␊ marks show where lines really end).
        wireRows(result, theme: theme).flatMap { fit($0, width: width, hanging: 2, atSpaces: true) }
    }

    private static func wireRows(_ result: LabResult?, theme: Theme) -> [LabRow] {
        guard let result else { return [LabRow("Nothing sent yet.", theme.style(.muted))] }
        var rows: [LabRow] = []
        for (index, exchange) in result.exchanges.enumerated() {
            let title = result.exchanges.count > 1 ? "Exchange \(index + 1) of \(result.exchanges.count)" : "Exchange"
            rows.append(LabRow("── \(title): sent, \(exchange.sent.count) bytes", theme.style(.heading)))
            rows += bytes(exchange.sent, theme: theme)
            rows.append(LabRow("── received, \(exchange.received.count) bytes" + (exchange.truncated ? " (cut off)" : ""), theme.style(.heading)))
            rows += bytes(exchange.received, theme: theme)
            if let failure = exchange.failure { rows.append(LabRow("✗ " + failure, theme.style(.error))) }
        }
        return rows
    }

    static func bytes(_ bytes: [UInt8], theme: Theme) -> [LabRow] {
        var rows: [LabRow] = []
        var line = ""
        var index = 0
        let marker = theme.style(.muted)
        while index < bytes.count, rows.count < 3000 {
            let byte = bytes[index]
            if byte == 13, index + 1 < bytes.count, bytes[index + 1] == 10 {
                rows.append(LabRow([(line, .plain), ("␍␊", marker)]))
                line = ""
                index += 2
                continue
            }
            if byte == 10 {
                rows.append(LabRow([(line, .plain), ("␊", marker)]))
                line = ""
            } else if byte >= 0x20 && byte < 0x7F {
                line.append(Character(Unicode.Scalar(byte)))
            } else if byte >= 0x80, let scalar = utf8Scalar(bytes, at: index) {
                line.append(Character(scalar.scalar))
                index += scalar.length
                continue
            } else {
                line += String(format: "\\x%02X", byte)
            }
            index += 1
        }
        if !line.isEmpty { rows.append(LabRow(line)) }
        return rows
    }

    private static func utf8Scalar(_ bytes: [UInt8], at index: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        let first = bytes[index]
        let length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 0
        guard length > 0, index + length <= bytes.count,
              let text = String(validatingUTF8Bytes: Array(bytes[index..<(index + length)])), let scalar = text.unicodeScalars.first else { return nil }
        return (scalar, length)
    }

    static func log(_ entries: [LabLogEntry], missed: Int, theme: Theme) -> [LabRow] {
        guard !entries.isEmpty else {
            return [LabRow("No exchanges yet: requests from the Lab, curl or a browser appear here as they happen.", theme.style(.muted))]
        }
        var rows: [LabRow] = []
        if missed > 0 { rows.append(LabRow("… \(missed) more exchanges came too fast to show", theme.style(.muted))) }
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        for entry in entries.reversed() {
            let statusStyle = StatusClass(code: entry.status).map { theme.style($0) } ?? .plain
            let outcome = entry.decision.flatMap(DecisionRecord.init(header:)).map { "  \($0.diagram)/\($0.outcome)" } ?? ""
            let marks: [(String, Style)] = entry.findings.isEmpty ? [(outcome, theme.style(.muted))]
                : [("  ! " + entry.findings.map(\.rule).joined(separator: "; "), theme.style(.error))]
            rows.append(LabRow([(formatter.string(from: entry.date) + " ", theme.style(.muted)), ("\(entry.method) \(entry.target) ", .plain),
                                ("\(entry.status)", statusStyle)] + marks, target: .logEntry(entry.number)))
        }
        return rows
    }

    /// What `judge` found in a recorded exchange: each finding, and its page to open.
    static func findings(_ findings: [TrafficFinding], width: Int, theme: Theme) -> [LabRow] {
        var rows: [LabRow] = []
        for finding in findings {
            rows += wrap("! \(finding.rule): \(finding.detail)", width: width, style: theme.style(.error))
            rows.append(LabRow("  read: \(finding.page) (Enter)" + (finding.path == nil ? "" : " · f walks the model's answer"), theme.style(.link),
                               target: .page(finding.page)))
        }
        return rows
    }

    static func history(_ history: LabHistory, notice: String?, theme: Theme) -> [LabRow] {
        var rows: [LabRow] = []
        if let notice { rows.append(LabRow(notice, theme.style(.error))) }
        guard !history.entries.isEmpty else { return rows + [LabRow("Every request you send is kept here, across runs.", theme.style(.muted))] }
        for (index, entry) in history.entries.enumerated() {
            let status = entry.status.map(String.init) ?? "—"
            let credentials = entry.request.credentialsSummary + (entry.note == nil ? "" : " (not sent: no Digest challenge)")
            rows.append(LabRow([("\(entry.request.method) \(entry.request.url) ", .plain), (status, theme.style(.emphasis)),
                                ("  \(credentials)", theme.style(.muted))], target: .historyEntry(index)))
        }
        return rows
    }
}

extension LabRequest {
    /// The credentials in a few words: "Basic alice", "Bearer alice-read-token", "none".
    public var credentialsSummary: String {
        switch credentials {
        case .none: "no credentials"
        case .basic(let user, let password): "Basic \(user):\(password)"
        case .header(let value): value.isEmpty ? "an empty Authorization" : value
        case .digest(let user, _): "Digest as \(user)"
        case .session(let cookie): "cookie \(cookie)"
        case .formLogin(let user, _): "browser, logged in as \(user)"
        }
    }
}
