import Foundation
import StatusLabCore
import Synchronization

/// The instructor's view of a room, live: the grid of learners and exercises, who is stuck,
/// the misconceptions the room shares, messages to everyone or to one, and the export.
public struct RoomScreen: Screen {
    public enum Message: Sendable {
        case server(RoomServerState)
        case record(RoomRecord, revision: Int)
        case exported(String)
    }

    enum View: Int, CaseIterable, Sendable { case grid, misconceptions, messages }
    enum Action: Sendable { case up, down, pageUp, pageDown, sort, view, messageAll, choose, address, export, quit }

    let backend: any RoomBackend
    let library: ContentLibrary
    let rules: RoomReport.StuckRules
    /// Where `e` writes the gradebook and the exams.
    let exportFolder: URL
    let clock: @Sendable () -> Date
    let watcher = RoomWatcher()
    var server = RoomServerState.starting
    var record: RoomRecord
    var view = View.grid
    var order = RoomReport.Order.progress
    var list = RowList<RoomRow>(selected: 0)
    /// A message being written: to everyone (key nil) or to one learner.
    var composing: (to: String?, name: String, input: TextInput)?
    var notice: String?
    var confirmingQuit = false

    public init(backend: any RoomBackend, library: ContentLibrary, record: RoomRecord, rules: RoomReport.StuckRules = .init(),
                exportFolder: URL, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.backend = backend
        self.library = library
        self.record = record
        self.rules = rules
        self.exportFolder = exportFolder
        self.clock = clock
    }

    public var title: String { "Room: \(record.title)" }
    public var capturesText: Bool { composing != nil }
    /// "Last request 12 s ago" and who is stuck change with time.
    public var wantsTicks: Bool { true }

    var report: RoomReport { RoomReport(record: record, exercises: library.exercises, questions: library.questions, rules: rules) }

    public func start() -> Command {
        let backend = self.backend, watcher = self.watcher
        return .batch([
            work { .server(await backend.start()) },
            stream { post in await watcher.run(backend) { post(.record($0, revision: $1)) } },
        ])
    }

    var keyTable: KeyTable<Action> {
        KeyTable([
            KeyBinding([.up, .char("k")], "↑↓", "choose", .up),
            KeyBinding([.down, .char("j")], "↓", "down", .down, inBar: false, inHelp: false),
            KeyBinding([.pageUp], "PgUp", "page up", .pageUp, inBar: false),
            KeyBinding([.pageDown], "PgDn", "page down", .pageDown, inBar: false),
            KeyBinding([.tab], "Tab", "grid / misconceptions / messages", .view),
            KeyBinding([.char("s")], "s", "sort by progress or name", .sort),
            KeyBinding([.enter], "Enter", view == .misconceptions ? "open the page" : "message this learner", .choose),
            KeyBinding([.char("m")], "m", "message everyone", .messageAll),
            KeyBinding([.char("u")], "u", "this learner's personal URL (for one who lost it; keep it off the projector)", .address, inBar: false),
            KeyBinding([.char("e")], "e", "export CSV and exams", .export),
            KeyBinding([.escape, .char("q")], "q", "stop the room", .quit),
        ])
    }

    public var keyHelp: [KeyHelp] {
        composing != nil ? [KeyHelp(label: "Enter", help: "send", inBar: true), KeyHelp(label: "Esc", help: "cancel", inBar: true)] : keyTable.help
    }

    public mutating func receive(_ message: Message) -> Command {
        switch message {
        case .server(let state): server = state
        case .record(let record, _): self.record = record
        case .exported(let text): notice = text
        }
        return .none
    }

    public mutating func handle(_ event: Event, context: ScreenContext) -> Command {
        let body = Rect(x: 0, y: 0, width: context.bodySize.width, height: context.bodySize.height)
        list.layout(rows(report.rows(by: order, now: clock()), width: listArea(in: body).width, theme: context.theme),
                    height: listArea(in: body).height)
        if var composing {
            guard case .key(let key) = event else { return .none }
            switch key {
            case .escape: self.composing = nil
            case .enter:
                let text = composing.input.text
                if !text.trimmingCharacters(in: .whitespaces).isEmpty {
                    let sent = backend.post(text, to: composing.to)
                    notice = sent ? "Sent to \(composing.to == nil ? "everyone" : composing.name)." : "Not sent: nothing printable, or that learner is gone."
                    // Shown at once in the messages, not a poll later.
                    if sent, let (record, _) = backend.record(after: 0) { self.record = record }
                }
                self.composing = nil
            default:
                _ = composing.input.handle(key)
                self.composing = composing
            }
            return .none
        }
        if case .clicked(let row) = event {
            _ = list.select(row)
            return .none
        }
        guard case .key(let key) = event else { return .none }
        if confirmingQuit {
            confirmingQuit = false
            if keyTable.action(for: key) == .quit { return .quit }
            notice = nil
            return .none
        }
        guard let action = keyTable.action(for: key) else { return .none }
        // A notice lasts until the next key.
        notice = nil
        switch action {
        case .up: list.move(by: -1)
        case .down: list.move(by: 1)
        case .pageUp: list.page(by: -1)
        case .pageDown: list.page(by: 1)
        case .view:
            view = View(rawValue: (view.rawValue + 1) % View.allCases.count) ?? .grid
            list = RowList(selected: 0)
        case .sort: order = order == .progress ? .name : .progress
        case .messageAll: composing = (nil, "everyone", TextInput())
        case .choose:
            guard let row = list.selectedRow else { return .none }
            switch row.target {
            case .learner(let key, let name): composing = (key, name, TextInput())
            case .page(let id): if let page = library.page(id) { return .push(PageScreen(page: page, library: library)) }
            case .none: break
            }
        case .address:
            guard view == .grid, case .learner(let key, let name)? = list.selectedRow?.target else { return .none }
            let origin = if case .running(let url, _) = server { String(url.dropLast("/room".count)) } else { "http://HOST:PORT" }
            notice = "\(name)'s base URL: \(origin)/l/\(key)"
        case .export: return export()
        case .quit:
            confirmingQuit = true
            notice = "Press q again to stop the room for everyone (nothing is lost: start it again to resume); any other key goes on."
        }
        return .none
    }

    /// Writes the gradebook and the exams beside each other, each atomically.
    func export() -> Command {
        let report = self.report, folder = exportFolder
        return work {
            let csv = folder.appendingPathComponent("room-grades.csv"), exams = folder.appendingPathComponent("room-exams.json")
            do {
                try report.export(csv: csv, exams: exams, summary: folder.appendingPathComponent("room-summary.json"))
                let handedIn = report.record.learners.values.filter { $0.exam != nil }.count
                return .exported("Wrote \(csv.path) (\(report.record.learners.count) learners), room-exams.json (\(handedIn) exams) and room-summary.json there.")
            } catch {
                return .exported("Export failed: \(error.localizedDescription)")
            }
        }
    }

    // MARK: Drawing

    /// Below the room's lines, the views' tabs and the view's heading; above the composer or
    /// notice at the bottom.
    func listArea(in body: Rect) -> Rect {
        Rect(x: body.x + 1, y: body.y + 5, width: max(body.width - 2, 1), height: max(body.height - 6, 1))
    }

    public mutating func draw(into buffer: inout ScreenBuffer, area: Rect, theme: Theme) {
        let now = clock()
        let rows = report.rows(by: order, now: now)
        let stuck = rows.filter { $0.stuck != nil }.count
        let address: String = switch server {
        case .starting: "starting the server…"
        case .running(let url, _): url
        case .failed(let why): "the server did not start: \(why)"
        case .stopped: "stopped"
        }
        var x = buffer.write("Join code ", x: area.x + 1, y: area.y, style: theme.style(.muted), clip: area)
        x = buffer.write(record.joinCode, x: x, y: area.y, style: theme.style(.heading), clip: area)
        buffer.write("  ·  \(address)", x: x, y: area.y, style: theme.style(.muted), clip: area)
        let solvedAll = rows.filter { $0.solved == library.exercises.count && !library.exercises.isEmpty }.count
        let exams = record.learners.values.filter { $0.exam != nil }.count
        let summary = "\(rows.count) learner\(rows.count == 1 ? "" : "s") · \(stuck) stuck · \(solvedAll) finished · \(exams) exam\(exams == 1 ? "" : "s") in"
        buffer.write(summary, x: area.x + 1, y: area.y + 1, style: stuck > 0 ? theme.style(.error) : .plain, clip: area)
        if case .running(_, let exposure?) = server {
            buffer.write("Exposed: " + exposure, x: area.x + 1, y: area.y + 2, style: theme.style(.error), clip: area)
        }
        let tabs = View.allCases.map { $0 == view ? "[\(name($0))]" : " \(name($0)) " }.joined(separator: " ")
        buffer.write(tabs + (view == .grid ? "   sorted by \(order == .progress ? "progress" : "name")" : ""),
                     x: area.x + 1, y: area.y + 3, style: theme.style(.emphasis), clip: area)
        let inside = listArea(in: area)
        buffer.write(heading(width: inside.width), x: inside.x, y: inside.y - 1, style: theme.style(.muted), clip: area)
        list.layout(self.rows(rows, width: inside.width, theme: theme, now: now), height: inside.height)
        list.draw(into: &buffer, area: inside, scrollbarColumn: inside.maxX - 1, theme: theme)
        let bottom = area.y + area.height - 1
        if let problem = backend.saveProblem, composing == nil {
            // Above all else: the room is not being kept.
            buffer.write("Not saved: " + problem, x: area.x + 1, y: bottom, style: theme.style(.error), clip: area)
        } else if let composing {
            composing.input.draw(into: &buffer, area: Rect(x: area.x + 1, y: bottom, width: area.width - 2, height: 1),
                                 prompt: "To \(composing.name): ", focused: true, theme: theme)
        } else if let notice {
            buffer.write(notice, x: area.x + 1, y: bottom, style: theme.style(.emphasis), clip: area)
        } else if view == .grid, let row = list.selectedRow, case .learner(let key, _) = row.target, let why = rows.first(where: { $0.key == key })?.stuck {
            buffer.write("Stuck: " + why, x: area.x + 1, y: bottom, style: theme.style(.error), clip: area)
        }
    }

    func name(_ view: View) -> String {
        switch view {
        case .grid: "Grid"
        case .misconceptions: "Misconceptions"
        case .messages: "Messages"
        }
    }

    /// The current view's rows; `learners` are the report's, worked out once a frame.
    func rows(_ learners: [RoomReport.Row], width: Int, theme: Theme, now: Date? = nil) -> [RoomRow] {
        switch view {
        case .grid: return gridRows(learners, width: width, theme: theme, now: now ?? clock())
        case .misconceptions:
            let found = report.misconceptions()
            guard !found.isEmpty else { return [RoomRow(runs: [("No shared misconception yet: wrong codes from exercise tries and exams show here.", theme.style(.muted))])] }
            return found.map { item in
                let source = item.source == .exam ? "exam" : "exercise"
                let page = item.page.flatMap { library.page($0) }.map { "  → page \($0.id)" } ?? ""
                return RoomRow(runs: [(DisplayWidth.fitting("\(item.line)  [\(source)]\(page)", width: width, ellipsis: theme.box.ellipsis), .plain)],
                               target: item.page.map { .page($0) } ?? .none)
            }
        case .messages:
            guard !record.messages.isEmpty else { return [RoomRow(runs: [("No messages yet: m writes to everyone, Enter on a learner to one.", theme.style(.muted))])] }
            return record.messages.reversed().map { message in
                let to = message.to.flatMap { record.learners[$0]?.name } ?? "everyone"
                let line = "\(Self.time(message.date))  to \(to): \(message.text)"
                return RoomRow(runs: [(DisplayWidth.fitting(line, width: width, ellipsis: theme.box.ellipsis), .plain)])
            }
        }
    }

    /// The columns of the grid: the name's, the count's, one or two per exercise, the last request's.
    func gridColumns(width: Int) -> (name: Int, cell: Int) {
        let nameWidth = min(max(width / 5, 10), LearnerName.maxLength)
        return (nameWidth, nameWidth + 5 + library.exercises.count * 2 + 9 <= width ? 2 : 1)
    }

    /// The line over the list: the grid's column heads, or what the other views list.
    func heading(width: Int) -> String {
        switch view {
        case .misconceptions: return "wrong code for a situation (the right one): how many learners, where from, the page"
        case .messages: return "sent, newest first"
        case .grid: break
        }
        let count = library.exercises.count
        let (nameWidth, cellWidth) = gridColumns(width: width)
        var header = DisplayWidth.padded("learner", to: nameWidth) + " done "
        // Exercise numbers over their columns: the first, then every fifth.
        var numbers = [Character](repeating: " ", count: count * cellWidth + 1)
        for number in 1...max(count, 1) where number == 1 || number % 5 == 0 {
            for (offset, digit) in String(number).enumerated() where (number - 1) * cellWidth + offset < numbers.count {
                numbers[(number - 1) * cellWidth + offset] = digit
            }
        }
        header += String(numbers) + "last"
        return DisplayWidth.fitting(header, width: width, ellipsis: "")
    }

    /// A learner a row: `! Name  done  ✓✓•·…  last request`, `!` for a stuck one.
    func gridRows(_ rows: [RoomReport.Row], width: Int, theme: Theme, now: Date) -> [RoomRow] {
        let (nameWidth, cellWidth) = gridColumns(width: width)
        var result: [RoomRow] = []
        guard !rows.isEmpty else {
            return [RoomRow(runs: [("Nobody has joined yet. Learners open \(homeURL) or run `statuslab exercise watch --room …`.", theme.style(.muted))])]
        }
        for row in rows {
            let marker = row.stuck != nil ? "! " : "  "
            let name = DisplayWidth.fitting(marker + row.name, width: nameWidth, ellipsis: theme.box.ellipsis)
            var runs: [(String, Style)] = [(DisplayWidth.padded(name, to: nameWidth), row.stuck != nil ? theme.style(.error) : .plain),
                                           (" " + DisplayWidth.padded(String(row.solved), to: 4) + " ", .plain)]
            for cell in row.cells {
                let (mark, style): (String, Style) = switch cell {
                case .solved: (theme.box == .unicode ? "✓" : "x", Style(foreground: .green))
                case .tried: (theme.box == .unicode ? "•" : "o", Style(foreground: .yellow))
                case .open: (theme.box == .unicode ? "·" : ".", theme.style(.muted))
                }
                runs.append((cellWidth == 2 ? mark + " " : mark, style))
            }
            runs.append((" " + (row.lastRequest.map { Self.ago($0, now: now) } ?? "—"), theme.style(.muted)))
            result.append(RoomRow(runs: runs, target: .learner(key: row.key, name: row.name)))
        }
        return result
    }

    var homeURL: String { if case .running(let url, _) = server { url } else { "the room's page" } }

    static func ago(_ date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        return seconds < 60 ? "\(seconds) s ago" : seconds < 3600 ? "\(seconds / 60) min ago" : time(date)
    }

    /// `14:05`, local time.
    static func time(_ date: Date) -> String {
        let parts = Calendar.current.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
}

/// A line of the Room screen's list: a learner (Enter writes to them), a misconception (Enter
/// opens its page), or text.
struct RoomRow: ListRow {
    enum Target: Sendable, Equatable {
        case learner(key: String, name: String)
        case page(String)
        case none
    }

    var runs: [(String, Style)]
    var target: Target = .none
    var isSelectable: Bool { target != .none }
}

/// Reads the room's record for the screen, a few times a second, only when it changed.
final class RoomWatcher: Sendable {
    static let interval: Duration = .milliseconds(200)
    private let active = Atomic<Bool>(true)
    func stop() { active.store(false, ordering: .relaxed) }

    func run(_ backend: any RoomBackend, post: (RoomRecord, Int) -> Void) async {
        var revision = 0
        while active.load(ordering: .relaxed) {
            if let (record, newest) = backend.record(after: revision) {
                revision = newest
                post(record, newest)
            }
            try? await Task.sleep(for: Self.interval)
        }
    }
}
