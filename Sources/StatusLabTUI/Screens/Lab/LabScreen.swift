import Foundation
import StatusLabCore

/// The Lab: compose a request, send it to the built-in server (started when the Lab opens) or
/// any http:// URL, and see the status line, every header, the content, the bytes on the wire
/// and the decision the server took, walked on the flowchart. Exchanges from outside (curl, a
/// browser) arrive in the live log.
public struct LabScreen: Screen {
    enum Action: Sendable {
        /// A key of the composer's, handed to it.
        case compose(Composer.Action)
        case send, view(View), nextView, previousView
        case up, down, pageUp, pageDown, activate, follow, flowchart, curl, edit, delete, find, back, export
    }

    /// Messages from the Lab's background work.
    public enum Message: Sendable {
        case server(LabServerState)
        case sent(LabResult)
        case log([LabLogEntry], missed: Int)
        case saved(String?)
    }

    let backend: any LabBackend
    let library: ContentLibrary
    /// Where the history is kept and the log is written.
    var files: LabFiles
    let poller = ServerLogPoller()

    var server = LabServerState.starting
    var composer: Composer
    var view = View.response
    /// Each view's rows, selection and scroll.
    var lists = [View: RowList<LabRow>]()
    var result: LabResult?
    /// A log entry shown in the response view instead of the Lab's own last result.
    var shownEntry: LabLogEntry?
    var sending = false
    var log: [LabLogEntry] = []
    var logMissed = 0
    var saved = LabHistory()
    var historyNotice: String?
    var jar = CookieJar()
    var notice: String?
    /// The exercises, when the Lab was opened from their screen: their progress as it was then.
    public var exercises: ExerciseTracker?
    /// `/`: find a word in the view (the response, the wire …).
    var find = Find()
    var curlShown: String?

    /// `opened`: exchanges from a file of recorded traffic, judged (`lab --open`), shown in the
    /// log before the live ones.
    public init(backend: any LabBackend, library: ContentLibrary, history: StateFile<LabHistory>?, url: String? = nil,
                opened: (name: String, entries: [LabLogEntry])? = nil) {
        self.backend = backend
        self.library = library
        files = LabFiles(history: history)
        composer = Composer(request: LabRequest(url: url ?? "/api/profile"), presets: backend.presets, routes: backend.routes)
        if let opened {
            log = opened.entries
            view = .log
            let findings = opened.entries.reduce(0) { $0 + $1.findings.count }
            notice = "Opened \(opened.name): \(opened.entries.count) exchanges, \(findings) findings (!)"
        }
        (saved, historyNotice) = files.load()
    }

    public var title: String { "Lab" }
    public var capturesText: Bool { composer.capturesKeys || find.editing }

    /// Starts the server and the live log when the Lab is shown.
    public func start() -> Command {
        let backend = self.backend, poller = self.poller
        return .batch([
            work { .server(await backend.startServer()) },
            stream { post in await poller.run(backend) { entries, missed in post(.log(entries, missed: missed)) } },
        ])
    }

    var keyTable: KeyTable<Action> {
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
        var compose: [KeyBinding<Action>] = [
            KeyBinding([.char("s")], "s", "send", .send),
            KeyBinding([.escape, .char("q")], "q", "leave", .back),
        ]
        compose += composer.keyTable(prominent: !answered).map(Action.compose).bindings
        compose.append(KeyBinding([.char("/")], "/", "find in the view", .find, inBar: false))
        compose += KeyBinding<Action>.digits(1...View.allCases.count, "1-\(View.allCases.count)", "views") { .view(View(rawValue: $0)!) }
        compose += [
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
        if composer.capturesKeys { return composer.capturedKeyHelp }
        if find.editing {
            return [KeyHelp(label: "Enter", help: "find", inBar: true, key: .enter), KeyHelp(label: "Esc", help: "cancel", inBar: true, key: .escape)]
        }
        return keyTable.help
    }

    // MARK: Events

    public mutating func handle(_ event: Event, context: ScreenContext) -> Command {
        // Keys that move in the view or act on its rows act on them as laid out at this size.
        let layout = LabLayout(body: Rect(x: 0, y: 0, width: context.bodySize.width, height: context.bodySize.height), finding: find.status != nil)
        switch event {
        case .clicked(let row):
            guard curlShown == nil, !composer.capturesKeys else { return .none }
            layoutRows(in: layout, theme: context.theme)
            return lists[view, default: RowList()].select(row) ? activate() : .none
        case .key(let key):
            if curlShown != nil {
                curlShown = nil
                return .none
            }
            // Typing goes to the composer's field as it is: no rows to lay out.
            if composer.capturesKeys {
                notice = composer.handle(key) ?? notice
                return .none
            }
            layoutRows(in: layout, theme: context.theme)
            if find.editing {
                let lines = lists[view, default: RowList()].rows.map { $0.runs.map(\.0).joined() }
                find.handle(key, lines: lines, scroll: &lists[view, default: RowList()].scroll, viewHeight: layout.rows.height)
                return .none
            }
            guard let action = keyTable.action(for: key) else { return .none }
            return perform(action)
        default:
            return .none
        }
    }

    /// Lays the current view's rows out for `layout`: what `handle` acts on and `draw` shows.
    private mutating func layoutRows(in layout: LabLayout, theme: Theme) {
        let rows = rows(for: view, width: layout.rowWidth, theme: theme)
        lists[view, default: RowList()].layout(rows, height: layout.rows.height)
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
            lists[.response] = nil
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
            if log.count > ServerLogPoller.batchLimit { log.removeFirst(log.count - ServerLogPoller.batchLimit) }
        case .saved(let problem):
            if let problem { notice = problem }
        }
        return .none
    }

    private mutating func perform(_ action: Action) -> Command {
        notice = nil
        switch action {
        case .compose(let action): notice = composer.perform(action)
        case .send: return send(composer.request)
        case .view(let chosen): view = chosen
        case .nextView: view = View(rawValue: view.rawValue % View.allCases.count + 1)!
        case .previousView: view = View(rawValue: (view.rawValue + View.allCases.count - 2) % View.allCases.count + 1)!
        case .up: lists[view, default: RowList()].move(by: -1)
        case .down: lists[view, default: RowList()].move(by: 1)
        case .pageUp: lists[view, default: RowList()].page(by: -1)
        case .pageDown: lists[view, default: RowList()].page(by: 1)
        case .activate: return activate()
        case .follow:
            guard let result, let response = result.final?.response else { notice = "Nothing to follow: send a request first."; return .none }
            guard let next = result.request.following(response, from: result.url, jar: jar) else {
                notice = "\(response.status) is not a redirect with a Location to follow."
                return .none
            }
            composer.request = next
            return send(next)
        case .flowchart: return flowchart()
        case .export:
            let write = files.export(log)
            return saving { .saved(await write()) }
        case .find: find.open()
        case .curl:
            let url = (try? composer.request.target(base: server.url).url) ?? composer.request.url
            let line = CurlCommand.line(for: composer.request, url: url)
            curlShown = line
            return .clipboard(line)
        case .edit:
            if case .historyEntry(let index) = lists[.history]?.selectedRow?.target, index < saved.entries.count {
                composer.request = saved.entries[index].request
                notice = "Loaded into the composer."
            }
        case .delete:
            if case .historyEntry(let index) = lists[.history]?.selectedRow?.target, index < saved.entries.count {
                saved.entries.remove(at: index)
                return save()
            }
        case .back:
            poller.stop()
            let backend = self.backend
            return .batch([work { await backend.stopServer(); return .server(.stopped) }, .pop])
        }
        return .none
    }

    /// `f`: the flowchart walked as the response's decision went.
    private mutating func flowchart() -> Command {
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
    }

    private func save() -> Command {
        guard let write = files.save(saved) else { return .none }
        return saving { .saved(await write()) }
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

    /// Enter (or a click) on the selected row: a header's page, a log entry, a saved request.
    private mutating func activate() -> Command {
        // Nothing chosen yet in the log or the history: Enter takes the first entry.
        let listing = view == .log || view == .history || (view == .response && result == nil && shownEntry == nil)
        if lists[view]?.selected == nil, listing, let first = lists[view]?.selectable.first { lists[view]?.select(first) }
        guard let row = lists[view]?.selectedRow else { return .none }
        switch row.target {
        case .none: return .none
        case .page(let id): return library.page(id).map { .push(PageScreen(page: $0, library: library)) } ?? .none
        case .logEntry(let number):
            shownEntry = log.first { $0.number == number }
            lists[.response] = nil
            view = .response
        case .historyEntry(let entry):
            guard entry < saved.entries.count else { return .none }
            composer.request = saved.entries[entry].request
            return send(composer.request)
        }
        return .none
    }

    // MARK: Rows

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
            if let result, result.request != composer.request {
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
        let layout = LabLayout(body: area, finding: find.status != nil)
        let serverLine: (String, Style) = switch server {
        case .starting: ("Starting the built-in server…", theme.style(.muted))
        case .running(let url, _): ("Built-in server: \(url)/ · curl it from another terminal too", theme.style(.muted))
        case .failed(let why): ("The built-in server did not start: \(why). Absolute http:// URLs still work.", theme.style(.error))
        case .stopped: ("The built-in server has stopped.", theme.style(.muted))
        }
        buffer.write(serverLine.0, x: layout.serverLine.x + 1, y: layout.serverLine.y, style: serverLine.1, clip: layout.serverLine)
        composer.draw(into: &buffer, area: layout.composer, sending: sending, notice: notice, theme: theme)

        if let tabs = layout.tabs {
            View.drawTabs(into: &buffer, area: tabs, current: view, logCount: log.count, theme: theme)
            // The find prompt, or where the last search went, takes the view's last line.
            if let status = find.status, let line = layout.findLine {
                buffer.write(status, x: line.x + 1, y: line.y, style: find.editing ? theme.style(.emphasis) : theme.style(.muted), clip: line)
            }
            layoutRows(in: layout, theme: theme)
            lists[view, default: RowList()].draw(into: &buffer, area: layout.rows, scrollbarColumn: layout.scrollbarColumn, theme: theme)
            find.highlight(&buffer, area: layout.rows, theme: theme)
        }

        composer.drawPicker(into: &buffer, theme: theme)
        if let curlShown {
            let wrapped = TextWrapper.wrap([StyledRun(curlShown)], width: max(buffer.size.width - 8, 20)).map { line in
                [TextLine.Run(text: line.map(\.text).joined(), style: theme.style(Theme.Role.code), link: nil)]
            }
            Chrome.modal(into: &buffer, title: "Copy as curl (sent to the clipboard where the terminal allows)", lines: wrapped,
                         footer: "any key closes", theme: theme)
        }
    }
}
