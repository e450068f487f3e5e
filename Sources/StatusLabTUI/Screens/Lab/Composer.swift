import Foundation
import StatusLabCore

/// The Lab's request composer, a component the Lab embeds as the reference embeds its preview
/// page: the request (method, URL, headers, body, credentials, the server's policies), the field
/// being typed in with its completion, and the credential picker. It has its own keys and
/// update; the Lab forwards keys to it, shows the sentence it may return (a line refused) and,
/// on `s`, sends the request it has composed.
struct Composer: Sendable {
    /// The field being typed in.
    enum Field: Sendable, Equatable {
        case url, method, header, body
        var prompt: String {
            switch self {
            case .url: "URL: "
            case .method: "Method: "
            case .header: "Header (Name: value): "
            case .body: "Body: "
            }
        }
    }

    enum Action: Sendable, Equatable {
        case cycleMethod, typeMethod, editURL, pickCredentials, addHeader, editHeader, removeHeader, editBody, contentType
        case togglePolicy(ServerPolicy, String)
    }

    var request: LabRequest
    private(set) var editing: Field?
    private(set) var pickingCredentials = false
    /// The header line being edited (`=`), put back as it was if the edit is cancelled.
    private var editedHeader: LabRequest.Header?
    private var input = TextInput()
    private(set) var completions: [String] = []
    /// The credentials the picker offers, and the built-in server's paths for completion.
    let presets: [LabPreset]
    let routes: [String]

    init(request: LabRequest, presets: [LabPreset], routes: [String]) {
        self.request = request
        self.presets = presets
        self.routes = routes
    }

    /// True while a field or the picker has every key.
    var capturesKeys: Bool { editing != nil || pickingCredentials }

    /// `prominent`: the composing keys belong in the help bar (nothing has come back yet).
    func keyTable(prominent: Bool) -> KeyTable<Action> {
        KeyTable([
            KeyBinding([.char("u")], "u", "URL", .editURL, inBar: prominent),
            KeyBinding([.char("m")], "m", "method", .cycleMethod, inBar: prominent),
            KeyBinding([.char("a")], "a", "credentials", .pickCredentials, inBar: prominent),
            KeyBinding([.char("M")], "M", "type a method", .typeMethod, inBar: false),
            KeyBinding([.char("+")], "+", "add header", .addHeader, inBar: false),
            KeyBinding([.char("=")], "=", "edit the last header", .editHeader, inBar: false),
            KeyBinding([.char("-")], "-", "remove the last header", .removeHeader, inBar: false),
            KeyBinding([.char("b")], "b", "body", .editBody, inBar: false),
            KeyBinding([.char("t")], "t", "content type of the body", .contentType, inBar: false),
            KeyBinding([.char("H")], "H", "policy: hide refusals as 404", .togglePolicy(.hide, "on"), inBar: false),
            KeyBinding([.char("L")], "L", "policy: browser login by 401", .togglePolicy(.login, "401"), inBar: false),
            KeyBinding([.char("D")], "D", "policy: no error_description", .togglePolicy(.describe, "off"), inBar: false),
        ])
    }

    /// The keys while a field or the picker has them.
    var capturedKeyHelp: [KeyHelp] {
        if pickingCredentials { return [KeyHelp(label: "Esc", help: "close", inBar: true, key: .escape)] }
        return [KeyHelp(label: "Enter", help: "done", inBar: true, key: .enter), KeyHelp(label: "Esc", help: "cancel", inBar: true, key: .escape)]
            + (editing == .url ? [KeyHelp(label: "Tab", help: "complete a path", inBar: true), KeyHelp(label: "^U", help: "clear", inBar: true)] : [])
    }

    /// Carries out one of the composer's keys; a sentence for the Lab's notice line when it could
    /// not be done.
    mutating func perform(_ action: Action) -> String? {
        switch action {
        case .cycleMethod:
            let methods = LabRequest.commonMethods
            request.method = methods[((methods.firstIndex(of: request.method) ?? -1) + 1) % methods.count]
        // Typing a method replaces the one there (ux-walk-1 L1: M then PURGE gave GETPURGE).
        case .typeMethod: startEditing(.method, text: "")
        case .editURL: startEditing(.url, text: request.url)
        case .pickCredentials: pickingCredentials = true
        case .addHeader: startEditing(.header, text: "")
        case .editHeader:
            guard let last = request.headers.popLast() else { return "No header to edit: + adds one." }
            // Taken out while edited: Enter puts it back as typed, Esc as it was.
            editedHeader = last
            startEditing(.header, text: "\(last.name): \(last.value)")
        case .removeHeader: if !request.headers.isEmpty { request.headers.removeLast() }
        case .editBody: startEditing(.body, text: request.body)
        case .contentType:
            let types = ["application/json", "application/x-www-form-urlencoded", "text/plain"]
            let current = request.headers.firstIndex { $0.name.lowercased() == "content-type" }
            let next = current.flatMap { types.firstIndex(of: request.headers[$0].value) }.map { ($0 + 1) % (types.count + 1) } ?? 0
            if let current { request.headers.remove(at: current) }
            if next < types.count { request.headers.append(.init(name: "Content-Type", value: types[next])) }
        case .togglePolicy(let policy, let value):
            // The server's own names for its switches (ServerPolicy), sent in StatusLab-Policy.
            let setting = "\(policy.rawValue)=\(value)"
            if let index = request.policies.firstIndex(of: setting) { request.policies.remove(at: index) } else {
                request.policies.removeAll { $0.hasPrefix(policy.rawValue + "=") }
                request.policies.append(setting)
            }
        }
        return nil
    }

    /// A key while the composer captures keys: typed into the field, or a pick; a sentence when
    /// what was typed cannot be taken.
    mutating func handle(_ key: Key) -> String? {
        if pickingCredentials {
            if key == .escape || key == .char("q") {
                pickingCredentials = false
            } else if case .char(let c) = key, let preset = presets.first(where: { $0.key == c }) {
                request.credentials = preset.credentials
                pickingCredentials = false
            }
            return nil
        }
        guard let field = editing else { return nil }
        switch key {
        case .escape:
            editing = nil
            if let header = editedHeader { request.headers.append(header) }
            editedHeader = nil
        case .enter:
            if let problem = accept(input.text, into: field) { return problem }
            editing = nil
        case .tab where field == .url:
            // Complete a path from the built-in server's routes.
            let prefix = input.text
            let matching = routes.filter { $0.hasPrefix(prefix) && $0 != prefix }
            if let first = matching.first {
                // One route left: its parameters filled with the demo world's values, ready to send.
                input = TextInput(text: matching.count == 1 ? Self.example(first) : Self.commonPrefix(matching))
            }
            completions = matching
        default:
            _ = input.handle(key)
            completions = []
        }
        return nil
    }

    /// Puts what was typed into the request; a sentence saying why not when it cannot be.
    private mutating func accept(_ text: String, into field: Field) -> String? {
        switch field {
        case .url: request.url = text
        case .body: request.body = text
        case .method:
            let method = text.trimmingCharacters(in: .whitespaces).uppercased()
            if method.isEmpty { return nil }  // nothing typed: the method stays
            guard (try? LabRequest(method: method, url: "/").target(base: "http://x")) != nil else {
                return "`\(text)` is not a method: one token of letters, digits and !#$%&'*+-.^_`|~."
            }
            request.method = method
        case .header:
            guard let colon = text.firstIndex(of: ":") else { return "A header line is `Name: value`." }
            let header = LabRequest.Header(name: text[..<colon].trimmingCharacters(in: .whitespaces),
                                           value: text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            var probe = LabRequest(url: "/")
            probe.headers = [header]
            do { _ = try probe.target(base: "http://x") } catch { return "Not added: \(error.description)." }
            request.headers.append(header)
            editedHeader = nil
        }
        return nil
    }

    private mutating func startEditing(_ field: Field, text: String) {
        editing = field
        input = TextInput(text: text)
        completions = []
    }

    /// A route pattern with its `{parameters}` filled from the demo world: `/api/notes/{id}` →
    /// `/api/notes/1`.
    static func example(_ pattern: String) -> String {
        let values = ["id": "1", "user": "alice", "passwd": "wonderland", "qop": "auth", "algorithm": "SHA-256", "code": "200", "rest": "x"]
        return pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            guard segment.hasPrefix("{"), segment.hasSuffix("}") else { return String(segment) }
            return values[String(segment.dropFirst().dropLast())] ?? String(segment)
        }.joined(separator: "/")
    }

    private static func commonPrefix(_ texts: [String]) -> String {
        guard var prefix = texts.first else { return "" }
        for text in texts.dropFirst() { while !text.hasPrefix(prefix) { prefix.removeLast() } }
        return prefix
    }

    // MARK: Drawing

    /// The framed request, `notice` under it, and the field being typed over its first line.
    func draw(into buffer: inout ScreenBuffer, area: Rect, sending: Bool, notice: String?, theme: Theme) {
        let inside = Chrome.frame(into: &buffer, area: area, title: sending ? "Request (sending…)" : "Request", focused: editing != nil, theme: theme)
        var lines: [[(String, Style)]] = [
            [(request.method + " ", theme.style(.emphasis)), (request.url, .plain)],
            [("Credentials: ", theme.style(.muted)), (request.credentialsSummary, .plain)],
            [("Headers: ", theme.style(.muted)), (request.headers.isEmpty ? "none" : request.headers.map { "\($0.name): \($0.value)" }.joined(separator: " · "), .plain)],
            [("Policies: ", theme.style(.muted)), (request.policies.isEmpty ? "the server's" : request.policies.joined(separator: "; "), .plain),
             ("   Body: ", theme.style(.muted)), (request.body.isEmpty ? "none" : request.body, .plain)],
        ]
        if let notice { lines.append([(notice, theme.style(.error))]) }
        for (row, runs) in lines.prefix(inside.height).enumerated() {
            buffer.write(runs, x: inside.x + 1, y: inside.y + row, clip: inside)
        }
        guard let field = editing else { return }
        // One column from the frame, as the composer's other lines are.
        let row = Rect(x: inside.x + 1, y: inside.y, width: inside.width - 1, height: 1)
        buffer.fill(Rect(x: inside.x, y: inside.y, width: 1, height: 1))
        input.draw(into: &buffer, area: row, prompt: field.prompt, focused: true, theme: theme)
        if !completions.isEmpty, inside.height > 1 {
            buffer.fill(Rect(x: inside.x, y: inside.y + 1, width: inside.width, height: 1))
            buffer.write("  " + completions.prefix(6).joined(separator: "  "), x: inside.x, y: inside.y + 1, style: theme.style(.muted), clip: inside)
        }
    }

    /// The credential picker, over everything, while it is open.
    func drawPicker(into buffer: inout ScreenBuffer, theme: Theme) {
        guard pickingCredentials else { return }
        let lines = presets.map { preset in
            [TextLine.Run(text: " \(preset.key)  ", style: theme.style(.emphasis), link: nil),
             TextLine.Run(text: preset.label, style: .plain, link: nil)]
        }
        Chrome.modal(into: &buffer, title: "Credentials", lines: lines, footer: "a key picks one · Esc closes", theme: theme)
    }
}
