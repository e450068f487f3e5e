import Foundation
import StatusLabCore
import Synchronization

/// The Lab: compose a request, send it to the built-in server (started when the Lab opens) or
/// any http:// URL, and see the status line, every header, the content, the bytes on the wire
/// and the decision the server took, walked on the flowchart. Exchanges from outside (curl, a
/// browser) arrive in the live log.
public struct LabScreen: Screen {
    /// What the views show.
    enum View: Int, CaseIterable, Sendable {
        case response = 1, decision, wire, log, history
        var name: String {
            switch self {
            case .response: "Response"
            case .decision: "Decision"
            case .wire: "Wire"
            case .log: "Log"
            case .history: "History"
            }
        }
    }

    /// The composer's field being typed in, if any.
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

    enum Action: Sendable {
        case send, cycleMethod, typeMethod, editURL, pickCredentials, addHeader, editHeader, removeHeader, editBody, contentType
        case togglePolicy(String, String), view(View), nextView, previousView
        case up, down, pageUp, pageDown, activate, follow, flowchart, curl, edit, delete, find, back, export
    }

    /// Messages from the Lab's background work.
    public enum Message: Sendable {
        case server(LabServerState)
        case sent(LabResult)
        case log([LabLogEntry], missed: Int)
        case saved(String?)
    }

    /// Shared with the log's background poller: it stops when the Lab is left.
    final class Session: Sendable {
        private let active = Atomic<Bool>(true)
        var isActive: Bool { active.load(ordering: .relaxed) }
        func end() { active.store(false, ordering: .relaxed) }

        /// Polls the server's log while the session is active and hands over each batch of new
        /// exchanges: one batch per interval at most, holding at most the newest `logLimit`, so
        /// a flood of requests from outside costs the screen one redraw a tenth of a second.
        func pollLog(_ backend: any LabBackend, post: (_ entries: [LabLogEntry], _ missed: Int) -> Void) async {
            var newest = 0
            while isActive {
                try? await Task.sleep(for: LabScreen.pollInterval)
                guard isActive else { break }
                let (entries, missed) = backend.logEntries(after: newest, limit: LabScreen.logLimit)
                guard let last = entries.last else { continue }
                newest = last.number
                post(entries, missed)
            }
        }
    }

    let backend: any LabBackend
    let library: ContentLibrary
    let history: StateFile<LabHistory>?
    let session = Session()

    var server = LabServerState.starting
    var request: LabRequest
    var editing: Field?
    /// The header line being edited (`=`), restored if the edit is cancelled.
    var editedHeader: LabRequest.Header?
    var input = TextInput()
    var completions: [String] = []
    var pickingCredentials = false
    var view = View.response
    var result: LabResult?
    /// A log entry shown in the response view instead of the Lab's own last result.
    var shownEntry: LabLogEntry?
    var sending = false
    var log: [LabLogEntry] = []
    var logNewest = 0
    var logMissed = 0
    var saved = LabHistory()
    var historyNotice: String?
    var canSaveHistory = true
    var jar = CookieJar()
    var notice: String?
    /// The exercises, when the Lab was opened from their screen: their progress as it was then.
    public var exercises: ExerciseTracker?
    /// `/`: find a word in the view (the response, the wire …).
    var find = Find()
    var curlShown: String?
    var selection: [View: Int] = [:]
    var scroll: [View: ScrollState] = [:]
    var viewHeight = 10
    /// The width the view's rows were last laid out at: keys choose among those same rows, so
    /// Enter opens what ↑↓ highlighted whatever the terminal's width.
    var rowWidth = 77
    /// Where `w` writes the log.
    var exportFolder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)

    /// How many exchanges the live log keeps, and takes at most per batch.
    static let logLimit = 500
    static let pollInterval: Duration = .milliseconds(100)

    /// `opened`: exchanges from a file of recorded traffic, judged (`lab --open`), shown in the
    /// log before the live ones.
    public init(backend: any LabBackend, library: ContentLibrary, history: StateFile<LabHistory>?, url: String? = nil,
                opened: (name: String, entries: [LabLogEntry])? = nil) {
        self.backend = backend
        if let opened {
            log = opened.entries
            view = .log
            let findings = opened.entries.reduce(0) { $0 + $1.findings.count }
            notice = "Opened \(opened.name): \(opened.entries.count) exchanges, \(findings) findings (!)"
        }
        self.library = library
        self.history = history
        self.request = LabRequest(url: url ?? "/api/profile")
        if let history {
            let loaded = history.load()
            saved = loaded.value ?? LabHistory()
            historyNotice = loaded.notice
            canSaveHistory = loaded.canSave
        }
    }

    public var title: String { "Lab" }
    public var capturesText: Bool { editing != nil || find.editing }

    /// Starts the server and the live log; the program pushes the Lab with this.
    public static func opening(_ screen: LabScreen) -> Command {
        .batch([.push(screen), screen.startCommands])
    }

    public var startCommands: Command {
        let backend = self.backend, session = self.session
        return .batch([
            work { .server(await backend.startServer()) },
            stream { post in await session.pollLog(backend) { entries, missed in post(.log(entries, missed: missed)) } },
        ])
    }

    var keyTable: KeyTable<Action> {
        if pickingCredentials { return KeyTable([KeyBinding([.escape], "Esc", "close", .back)]) }
        // The help bar shows what matters now: before anything has come back, composing and
        // sending; once a response is there, what to do with it first. `q` is always there,
        // and the `?` overlay lists everything.
        let answered = currentResponse != nil
        let listing = view == .log || view == .history
        let response: [KeyBinding<Action>] = [
            KeyBinding([.enter], "Enter", view == .history ? "re-send" : view == .log ? "show it" : "open reference", .activate,
                       inBar: answered || listing),
            KeyBinding([.char("f")], "f", "flowchart", .flowchart, inBar: answered),
            KeyBinding([.char("g")], "g", "follow Location", .follow, inBar: currentResponse?.header("Location") != nil),
            KeyBinding([.char("c")], "c", "copy as curl", .curl, inBar: answered),
        ]
        let compose: [KeyBinding<Action>] = [
            KeyBinding([.char("s")], "s", "send", .send),
            KeyBinding([.escape, .char("q")], "q", "leave", .back),
            KeyBinding([.char("u")], "u", "URL", .editURL, inBar: !answered),
            KeyBinding([.char("/")], "/", "find in the view", .find, inBar: false),
            KeyBinding([.char("m")], "m", "method", .cycleMethod, inBar: !answered),
            KeyBinding([.char("a")], "a", "credentials", .pickCredentials, inBar: !answered),
            KeyBinding([.char("1"), .char("2"), .char("3"), .char("4"), .char("5")], "1-5", "views", .view(.response)),
            KeyBinding([.char("M")], "M", "type a method", .typeMethod, inBar: false),
            KeyBinding([.char("+")], "+", "add header", .addHeader, inBar: false),
            KeyBinding([.char("=")], "=", "edit the last header", .editHeader, inBar: false),
            KeyBinding([.char("-")], "-", "remove the last header", .removeHeader, inBar: false),
            KeyBinding([.char("b")], "b", "body", .editBody, inBar: false),
            KeyBinding([.char("t")], "t", "content type of the body", .contentType, inBar: false),
            KeyBinding([.char("H")], "H", "policy: hide refusals as 404", .togglePolicy("hide", "on"), inBar: false),
            KeyBinding([.char("L")], "L", "policy: browser login by 401", .togglePolicy("login", "401"), inBar: false),
            KeyBinding([.char("D")], "D", "policy: no error_description", .togglePolicy("describe", "off"), inBar: false),
            KeyBinding([.tab], "Tab", "next view", .nextView, inBar: false),
            KeyBinding([.backTab], "S-Tab", "previous view", .previousView, inBar: false),
            KeyBinding([.up, .char("k")], "↑↓", "select", .up, inBar: false),
            KeyBinding([.down, .char("j")], "↓", "down", .down, inBar: false, inHelp: false),
            KeyBinding([.pageUp], "PgUp", "page up", .pageUp, inBar: false),
            KeyBinding([.pageDown, .char(" ")], "PgDn", "page down", .pageDown, inBar: false),
        ]
        var bindings = answered || listing ? response + compose : compose + response
        if view == .log, !log.isEmpty {
            bindings.append(KeyBinding([.char("w")], "w", "write the log to a file", .export))
        }
        if view == .history {
            bindings.append(KeyBinding([.char("e")], "e", "edit into the composer", .edit))
            bindings.append(KeyBinding([.char("x"), .delete], "x", "delete", .delete))
        }
        return KeyTable(bindings)
    }

    public var keyHelp: [KeyHelp] {
        if editing != nil || find.editing {
            return [KeyHelp(label: "Enter", help: find.editing ? "find" : "done", inBar: true, key: .enter),
                    KeyHelp(label: "Esc", help: "cancel", inBar: true, key: .escape)]
                + (editing == .url ? [KeyHelp(label: "Tab", help: "complete a path", inBar: true), KeyHelp(label: "^U", help: "clear", inBar: true)] : [])
        }
        return keyTable.help
    }

    // MARK: Events

    public mutating func handle(_ event: Event, context: ScreenContext) -> Command {
        switch event {
        case .clicked(let row):
            guard curlShown == nil, editing == nil, !pickingCredentials else { return .none }
            selection[view] = row
            return activate()
        case .key(let key):
            if curlShown != nil {
                curlShown = nil
                return .none
            }
            if editing != nil { return type(key) }
            if pickingCredentials { return pick(key) }
            if find.editing {
                let lines = rows(for: view, width: rowWidth, theme: .test).map { $0.runs.map(\.0).joined() }
                var state = scroll[view] ?? ScrollState()
                find.handle(key, lines: lines, scroll: &state, viewHeight: viewHeight - 1)
                scroll[view] = state
                return .none
            }
            guard let action = keyTable.action(for: key) else { return .none }
            if case .view = action, case .char(let c) = key, let number = c.wholeNumberValue, let chosen = View(rawValue: number) {
                view = chosen
                return .none
            }
            return perform(action)
        default:
            return .none
        }
    }

    public mutating func receive(_ message: Message) -> Command {
        switch message {
        case .server(let state):
            server = state
            if case .running(_, let note) = state, let note { notice = note }
        case .sent(let result):
            sending = false
            self.result = result
            shownEntry = nil
            if let response = result.final?.response { jar = jar.receiving(response.headers("Set-Cookie")) }
            for exchange in result.exchanges.dropLast() { jar = jar.receiving(exchange.response?.headers("Set-Cookie") ?? []) }
            saved.add(result.request, status: result.final?.response?.status, at: result.date, note: result.note)
            selection[.response] = nil
            scroll[.response] = ScrollState()
            return save()
        case .log(let entries, let missed):
            // Opened from the Exercises screen: say at once when an exchange solves one (the
            // screen below records it; this copy of its tracker only tells).
            if var tracker = exercises {
                let solved = tracker.observe(entries)
                exercises = tracker
                if let last = solved.last {
                    notice = "Solved: \(last.title)" + (tracker.current.map { " · next: \($0.title)" } ?? " · every exercise is solved")
                }
            }
            log += entries
            logMissed += missed
            if log.count > Self.logLimit { log.removeFirst(log.count - Self.logLimit) }
            logNewest = log.last?.number ?? logNewest
        case .saved(let problem):
            if let problem { notice = problem }
        }
        return .none
    }

    /// Writes the log as JSON lines (`statuslab judge` and `lab --open` read them) to a new file
    /// in the current folder.
    private func export() -> Command {
        let entries = log
        let stamp = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
            .filter { $0.isNumber || $0 == "T" }
        let file = exportFolder.appendingPathComponent("statuslab-log-\(stamp).jsonl")
        return saving {
            let text = entries.map(ExchangeRecord.line).joined(separator: "\n") + "\n"
            do {
                try Data(text.utf8).write(to: file, options: .withoutOverwriting)
                return .saved("Wrote \(entries.count) exchanges to \(file.lastPathComponent)")
            } catch {
                return .saved("The log could not be written to \(file.path): \(error.localizedDescription)")
            }
        }
    }

    private func save() -> Command {
        guard let history, canSaveHistory else { return .none }
        let snapshot = saved
        return saving {
            do {
                try history.save(snapshot)
                return .saved(nil)
            } catch {
                return .saved("The Lab history could not be saved to \(history.file.path): \(error.localizedDescription)")
            }
        }
    }

    private mutating func perform(_ action: Action) -> Command {
        notice = nil
        switch action {
        case .send: return send(request)
        case .cycleMethod:
            let methods = LabRequest.commonMethods
            request.method = methods[((methods.firstIndex(of: request.method) ?? -1) + 1) % methods.count]
        // Typing a method replaces the one there (ux-walk-1 L1: M then PURGE gave GETPURGE).
        case .typeMethod: startEditing(.method, text: "")
        case .editURL: startEditing(.url, text: request.url)
        case .pickCredentials: pickingCredentials = true
        case .addHeader: startEditing(.header, text: "")
        case .editHeader:
            guard let last = request.headers.popLast() else { notice = "No header to edit: + adds one."; return .none }
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
        case .togglePolicy(let name, let value):
            let setting = "\(name)=\(value)"
            if let index = request.policies.firstIndex(of: setting) { request.policies.remove(at: index) } else {
                request.policies.removeAll { $0.hasPrefix(name + "=") }
                request.policies.append(setting)
            }
        case .view(let chosen): view = chosen
        case .nextView: view = View(rawValue: view.rawValue % View.allCases.count + 1)!
        case .previousView: view = View(rawValue: (view.rawValue + View.allCases.count - 2) % View.allCases.count + 1)!
        case .up: move(-1)
        case .down: move(1)
        case .pageUp: scrollBy(-max(viewHeight - 1, 1))
        case .pageDown: scrollBy(max(viewHeight - 1, 1))
        case .activate: return activate()
        case .follow:
            guard let result, let response = result.final?.response else { notice = "Nothing to follow: send a request first."; return .none }
            guard let next = result.request.following(response, from: result.url, jar: jar) else {
                notice = "\(response.status) is not a redirect with a Location to follow."
                return .none
            }
            request = next
            return send(next)
        case .flowchart:
            if let record = currentResponse?.decision, let diagram = library.diagram(record.diagram) {
                let sent = (currentResponse?.headers ?? []).map { (name: $0.name, value: $0.value) }
                return .push(FlowchartScreen(diagram: diagram, library: library, answers: DecisionEngine.answers(replaying: record.steps, in: diagram),
                                             exchange: FlowchartScreen.Exchange(outcome: record.outcome, headers: sent)))
            }
            // A recorded exchange from another server carries no decision: its finding's walk is
            // what the model would have answered, not what was sent.
            if let record = shownEntry?.findings.lazy.compactMap(\.path).first.flatMap(DecisionRecord.init(header:)),
               let diagram = library.diagram(record.diagram) {
                return .push(FlowchartScreen(diagram: diagram, library: library, answers: DecisionEngine.answers(replaying: record.steps, in: diagram)))
            }
            notice = "No decision to show: the response carries no StatusLab-Decision header" + (shownEntry.map { $0.findings.isEmpty ? "" : " and its findings no walk" } ?? "") + "."
            return .none
        case .export: return export()
        case .find:
            find.open()
            return .none
        case .curl:
            let url = (try? request.target(base: server.url).url) ?? request.url
            let line = CurlCommand.line(for: request, url: url)
            curlShown = line
            return .clipboard(line)
        case .edit:
            if let index = selectedIndex(in: .history), index < saved.entries.count {
                request = saved.entries[index].request
                notice = "Loaded into the composer."
            }
        case .delete:
            if let index = selectedIndex(in: .history), index < saved.entries.count {
                saved.entries.remove(at: index)
                return save()
            }
        case .back:
            if pickingCredentials { pickingCredentials = false; return .none }
            session.end()
            let backend = self.backend
            return .batch([work { await backend.stopServer(); return .server(.stopped) }, .pop])
        }
        return .none
    }

    private mutating func send(_ request: LabRequest) -> Command {
        do {
            _ = try request.target(base: server.url)
        } catch {
            notice = "Not sent: \(error.description)."
            return .none
        }
        sending = true
        view = view == .log || view == .history ? .response : view
        let backend = self.backend, base = server.url
        return work { .sent(await backend.send(request, base: base)) }
    }

    private mutating func activate() -> Command {
        let rows = self.rows(for: view, width: rowWidth, theme: .test)
        // Nothing chosen yet in the log or the history: Enter takes the first entry.
        let listing = view == .log || view == .history || (view == .response && result == nil && shownEntry == nil)
        let first = listing ? rows.indices.first { rows[$0].target != .none } : nil
        guard let index = selectedIndex(in: view) ?? first, index < rows.count else { return .none }
        selection[view] = index
        switch rows[index].target {
        case .none: return .none
        case .page(let id): return library.page(id).map { .push(PageScreen(page: $0, library: library)) } ?? .none
        case .logEntry(let number):
            shownEntry = log.first { $0.number == number }
            selection[.response] = nil
            view = .response
        case .historyEntry(let entry):
            guard entry < saved.entries.count else { return .none }
            request = saved.entries[entry].request
            return send(request)
        }
        return .none
    }

    // MARK: Typing

    private mutating func startEditing(_ field: Field, text: String) {
        editing = field
        input = TextInput(text: text)
        completions = []
    }

    private mutating func type(_ key: Key) -> Command {
        guard let field = editing else { return .none }
        switch key {
        case .escape:
            editing = nil
            if let header = editedHeader { request.headers.append(header) }
            editedHeader = nil
        case .enter:
            let text = input.text
            switch field {
            case .url: request.url = text
            case .body: request.body = text
            case .method:
                let method = text.trimmingCharacters(in: .whitespaces).uppercased()
                if method.isEmpty { editing = nil; return .none }  // nothing typed: the method stays
                guard (try? LabRequest(method: method, url: "/").target(base: "http://x")) != nil else {
                    notice = "`\(text)` is not a method: one token of letters, digits and !#$%&'*+-.^_`|~."
                    return .none
                }
                request.method = method
            case .header:
                guard let colon = text.firstIndex(of: ":") else {
                    notice = "A header line is `Name: value`."
                    return .none
                }
                let header = LabRequest.Header(name: text[..<colon].trimmingCharacters(in: .whitespaces),
                                               value: text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                var probe = LabRequest(url: "/")
                probe.headers = [header]
                do { _ = try probe.target(base: "http://x") } catch {
                    notice = "Not added: \(error.description)."
                    return .none
                }
                request.headers.append(header)
                editedHeader = nil
            }
            editing = nil
        case .tab where field == .url:
            // Complete a path from the built-in server's routes.
            let prefix = input.text
            let matching = backend.routes.filter { $0.hasPrefix(prefix) && $0 != prefix }
            if let first = matching.first {
                // One route left: its parameters filled with the demo world's values, ready to send.
                input = TextInput(text: matching.count == 1 ? Self.example(first) : commonPrefix(matching))
            }
            completions = matching
        default:
            _ = input.handle(key)
            completions = []
        }
        return .none
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

    private func commonPrefix(_ texts: [String]) -> String {
        guard var prefix = texts.first else { return "" }
        for text in texts.dropFirst() { while !text.hasPrefix(prefix) { prefix.removeLast() } }
        return prefix
    }

    private mutating func pick(_ key: Key) -> Command {
        if key == .escape || key == .char("q") {
            pickingCredentials = false
            return .none
        }
        if case .char(let c) = key, let preset = backend.presets.first(where: { $0.key == c }) {
            request.credentials = preset.credentials
            pickingCredentials = false
        }
        return .none
    }

    // MARK: Selection and scrolling

    private func selectedIndex(in view: View) -> Int? { selection[view] }

    private mutating func move(_ delta: Int) {
        let rows = self.rows(for: view, width: rowWidth, theme: .test)
        let selectable = rows.indices.filter { rows[$0].target != .none }
        guard !selectable.isEmpty else { scrollBy(delta); return }
        let current = selection[view].flatMap { selectable.firstIndex(of: $0) }
        let next = current.map { min(max($0 + delta, 0), selectable.count - 1) } ?? (delta > 0 ? 0 : selectable.count - 1)
        selection[view] = selectable[next]
        var state = scroll[view] ?? ScrollState()
        state.reveal(line: selectable[next], contentHeight: rows.count, viewHeight: viewHeight)
        scroll[view] = state
    }

    private mutating func scrollBy(_ delta: Int) {
        let count = rows(for: view, width: rowWidth, theme: .test).count
        var state = scroll[view] ?? ScrollState()
        state.scroll(by: delta, contentHeight: count, viewHeight: viewHeight)
        scroll[view] = state
    }

    /// The response the views show: a log entry chosen in the log, else the Lab's last one.
    var currentResponse: WireResponse? {
        if let entry = shownEntry {
            return WireResponse(version: "HTTP/1.1", status: entry.status, reason: "", headers: entry.responseHeaders,
                                body: entry.responseContent, interim: entry.interim)
        }
        return result?.final?.response
    }

    func rows(for view: View, width: Int, theme: Theme) -> [LabRow] {
        switch view {
        case .response:
            if let entry = shownEntry {
                let exchange = WireExchange(sent: [], received: [], response: currentResponse, failure: nil, duration: entry.duration)
                return [LabRow("From the log: \(entry.method) \(entry.target)", theme.style(.muted))]
                    + LabViews.findings(entry.findings, width: width, theme: theme)
                    + LabViews.response(exchange, result: nil, library: library, width: width, now: Date(), theme: theme)
            }
            if result == nil, !log.isEmpty {
                // Nothing sent from here yet, but the server has answered someone (curl from
                // another terminal): show that at once rather than an empty view.
                return [LabRow("Nothing sent from the Lab yet (s sends the request above). The server's live log; Enter shows an exchange:",
                               theme.style(.muted))] + LabViews.log(log, missed: logMissed, theme: theme)
            }
            let rows = LabViews.response(result?.final, result: result, library: library, width: width, now: Date(), theme: theme)
            // The composer changed since: say whose answer this is, so a Basic request above is
            // not read as having got the Bearer challenge below (the walk-through's tmux look).
            if let result, result.request != request {
                return LabViews.wrap("The answer to the request sent before (\(result.request.method) \(result.request.url), \(result.request.credentialsSummary)); s sends the one above.",
                                     width: width, style: theme.style(.muted)) + rows
            }
            return rows
        case .decision: return LabViews.decision(currentResponse, library: library, width: width, theme: theme)
        case .wire: return LabViews.wire(result, width: width, theme: theme)
        case .log: return LabViews.log(log, missed: logMissed, theme: theme)
        case .history: return LabViews.history(saved, notice: historyNotice, theme: theme)
        }
    }

    // MARK: Drawing

    public mutating func draw(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        var rest = area
        // The server line.
        let serverLine: (String, Style) = switch server {
        case .starting: ("Starting the built-in server…", theme.style(.muted))
        case .running(let url, _): ("Built-in server: \(url)/ · curl it from another terminal too", theme.style(.muted))
        case .failed(let why): ("The built-in server did not start: \(why). Absolute http:// URLs still work.", theme.style(.error))
        case .stopped: ("The built-in server has stopped.", theme.style(.muted))
        }
        buffer.write(serverLine.0, x: rest.x + 1, y: rest.y, style: serverLine.1, clip: rest)
        rest = rest.inset(top: 1)

        // The composer.
        let composerHeight = min(7, max(rest.height - 5, 3))
        let (top, below) = rest.splitTop(composerHeight)
        let inside = Chrome.frame(into: &buffer, area: top, title: sending ? "Request (sending…)" : "Request", focused: editing != nil, theme: theme)
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
        if let field = editing {
            // One column from the frame, as the composer's other lines are.
            let row = Rect(x: inside.x + 1, y: inside.y, width: inside.width - 1, height: 1)
            buffer.fill(Rect(x: inside.x, y: inside.y, width: 1, height: 1))
            input.draw(into: &buffer, area: row, prompt: field.prompt, focused: true, theme: theme)
            if !completions.isEmpty, inside.height > 1 {
                buffer.fill(Rect(x: inside.x, y: inside.y + 1, width: inside.width, height: 1))
                buffer.write("  " + completions.prefix(6).joined(separator: "  "), x: inside.x, y: inside.y + 1, style: theme.style(.muted), clip: inside)
            }
        }

        // The view tabs and the view.
        guard below.height >= 2 else { return }
        var x = below.x + 1
        for candidate in View.allCases {
            let label = " \(candidate.rawValue) \(candidate.name)" + (candidate == .log && !log.isEmpty ? " (\(log.count))" : "") + " "
            let start = x
            x = buffer.write(label, x: x, y: below.y, style: candidate == view ? theme.style(.selection) : theme.style(.muted), clip: below)
            buffer.addClickTarget(Rect(x: start, y: below.y, width: x - start, height: 1), .key(.char(Character("\(candidate.rawValue)"))))
        }
        var viewArea = below.inset(top: 1)
        // The find prompt, or where the last search went, takes the view's last line.
        if let status = find.status, viewArea.height > 2 {
            viewArea.height -= 1
            buffer.write(status, x: viewArea.x + 1, y: viewArea.maxY, style: find.editing ? theme.style(.emphasis) : theme.style(.muted),
                         clip: Rect(x: viewArea.x, y: viewArea.maxY, width: viewArea.width, height: 1))
        }
        viewHeight = max(viewArea.height, 1)
        rowWidth = max(viewArea.width - 3, 1)
        let rows = self.rows(for: view, width: rowWidth, theme: theme)
        var state = scroll[view] ?? ScrollState()
        state.clamp(contentHeight: rows.count, viewHeight: viewArea.height)
        scroll[view] = state
        let selected = selection[view]
        for (index, row) in rows.enumerated().dropFirst(state.offset).prefix(viewArea.height) {
            let y = viewArea.y + index - state.offset
            let line = Rect(x: viewArea.x + 1, y: y, width: viewArea.width - 2, height: 1)
            buffer.write(row.runs, x: line.x, y: y, clip: line)
            if index == selected { buffer.restyle(line) { _ in theme.style(.selection) } }
            // A header line, a log entry or a saved request opens as Enter would.
            if row.target != .none { buffer.addClickTarget(line, .row(index)) }
        }
        ScrollIndicator.draw(into: &buffer, area: viewArea, offset: state.offset, contentHeight: rows.count, theme: theme)
        find.highlight(&buffer, area: viewArea.inset(left: 1, right: 1), theme: theme)

        if pickingCredentials { drawPresets(into: &buffer, theme: theme) }
        if let curlShown {
            let wrapped = TextWrapper.wrap([StyledRun(curlShown)], width: max(buffer.size.width - 8, 20)).map { line in
                [TextLine.Run(text: line.map(\.text).joined(), style: theme.style(Theme.Role.code), link: nil)]
            }
            Chrome.modal(into: &buffer, title: "Copy as curl (sent to the clipboard where the terminal allows)", lines: wrapped,
                         footer: "any key closes", theme: theme)
        }
    }

    private func drawPresets(into buffer: inout ScreenBuffer, theme: Theme) {
        let lines = backend.presets.map { preset in
            [TextLine.Run(text: " \(preset.key)  ", style: theme.style(.emphasis), link: nil),
             TextLine.Run(text: preset.label, style: .plain, link: nil)]
        }
        Chrome.modal(into: &buffer, title: "Credentials", lines: lines, footer: "a key picks one · Esc closes", theme: theme)
    }
}
