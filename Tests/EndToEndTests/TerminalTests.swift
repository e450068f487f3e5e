import Foundation
import Testing
import TestSupport

/// A real terminal: statuslab runs inside tmux (its own server, so tests do not meet), keys
/// are sent with send-keys, and the screen is read with capture-pane until what should
/// appear does.
final class TmuxSession {
    let socket = "statuslab-test-\(UUID().uuidString.prefix(8))"
    let directory: URL

    /// The command line that starts statuslab.
    let command: String

    /// Starts `statuslab arguments` in a `width`x`height` terminal. The pane's shell records
    /// the terminal settings before and after, and prints the exit status.
    /// With `shell`, the pane is an interactive bash (for job control) and nothing is typed: the
    /// test runs `command` there itself, a line at a time (`shell(_:)`).
    init(_ arguments: String = "", width: Int = 80, height: Int = 24, environment: String = "", shell: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let dir = directory.path
        command = "env \(environment) \(statuslab) \(arguments)"
        // The exit line is printed after the settings are saved, so seeing it means both files
        // are there; `cat` then keeps the pane (and what it shows) alive until the test ends.
        let script = "stty -g > \(dir)/before; \(command); s=$?; stty -g > \(dir)/after; echo \"exit=$s\"; exec cat"
        let program = shell ? ["bash", "--norc", "--noprofile", "-i"] : ["sh", "-c", script]
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "\(width)", "-y", "\(height)",
                  "env", "-u", "NO_COLOR", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=xterm-256color", "PS1=$ "] + program)
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: directory)
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let output = directory.appendingPathComponent("out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        try spawnAndWait(["tmux", "-L", socket] + arguments, stdoutPath: output.path)
        return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }

    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", "t"] + keys) }

    func type(_ text: String) throws { try tmux(["send-keys", "-t", "t", "-l", text]) }

    func screen(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", "t"] + (escapes ? ["-e"] : []))
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "t", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until the screen satisfies `condition`; fails the test with the screen if it
    /// never does.
    /// Polls with `Task.sleep`, so a waiting test does not hold one of the few threads the
    /// other tests run on. The generous timeout is for the first frame of a debug binary while
    /// the whole suite runs on two cores (it took over 20 s twice); a passing wait returns at once.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 60, sourceLocation: SourceLocation = #_sourceLocation,
                 _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for \(what); the screen was:\n\(last)", sourceLocation: sourceLocation)
        throw TimedOut()
    }

    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 60, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await waitFor("“\(text)”", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// Runs `line` in the pane's interactive shell and waits until it has finished: a marker
    /// echoed after it, whose typed form (`$((n+1))`) differs from what it prints.
    func shell(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let n = Int.random(in: 10_000..<99_999)
        try type("\(line); echo \"done=$((\(n)+1))\"\n")
        try await waitFor("“\(line)” to finish", sourceLocation: sourceLocation) { $0.contains("done=\(n + 1)") }
    }

    /// A tmux format for the pane: whether the alternate screen is on (`alternate_on`), whether
    /// the terminal reports the mouse (`mouse_any_flag`) …
    func pane(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", "t", "#{\(format)}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until `condition` holds (a process state, a file), polling as `waitFor` does.
    func waitUntil(_ what: String, timeout: TimeInterval = 60, sourceLocation: SourceLocation = #_sourceLocation,
                   _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for \(what); the screen was:\n\(try screen())", sourceLocation: sourceLocation)
        throw TimedOut()
    }

    /// The terminal's settings as `stty -a` prints them in the pane's shell, as words
    /// (`icanon`, `-echo` …).
    func settingsInTheShell() async throws -> Set<String> {
        let file = directory.appendingPathComponent("stty-\(UUID().uuidString)")
        try await shell("stty -a > \(file.path)")
        let text = try String(contentsOf: file, encoding: .utf8)
        return Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
    }

    /// The statuslab process (the child of the pane's shell).
    func statuslabPID() throws -> Int32 {
        let shell = try tmux(["display-message", "-p", "-t", "t", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        return Int32(children.split(separator: " ").first.map(String.init) ?? "") ?? 0
    }

    /// True when the terminal settings after statuslab are those from before it (call it once
    /// the exit line shows).
    func terminalRestored() throws -> Bool {
        let before = try String(contentsOf: directory.appendingPathComponent("before"), encoding: .utf8)
        let after = try String(contentsOf: directory.appendingPathComponent("after"), encoding: .utf8)
        return !before.isEmpty && before == after
    }

    struct TimedOut: Error {}
}

@Suite(.serialized, .enabled(if: Tools.tmux, "the terminal tests run statuslab in tmux")) struct TerminalTests {
    /// The terminal reports a click (SGR mouse encoding, as xterm and tmux send it) and the
    /// entry under it opens; the wheel moves through the reference list.
    @Test func aClickInARealTerminalOpensWhatIsUnderIt() async throws {
        let tmux = try TmuxSession(width: 100, height: 30)
        let home = try await tmux.waitFor("[r] Reference")
        let lines = home.split(separator: "\n", omittingEmptySubsequences: false)
        let row = try #require(lines.firstIndex { $0.contains("[r] Reference") })
        let column = try #require(lines[row].range(of: "Reference")).lowerBound.utf16Offset(in: lines[row])
        try tmux.type("\u{1B}[<0;\(column + 1);\(row + 1)M\u{1B}[<0;\(column + 1);\(row + 1)m")
        try await tmux.waitFor("the Reference") { $0.hasPrefix(" StatusLab › Reference") }
        try tmux.type("\u{1B}[<65;10;10M")
        try await tmux.waitFor("›103 Early Hints")
        try tmux.send("q", "q")
        try await tmux.waitFor("exit=0")
    }

    @Test func walkThroughTheReferenceAt80x24() async throws {
        let tmux = try TmuxSession()
        try await tmux.waitFor("Which status code should this response carry?")
        try tmux.send("Enter")
        try await tmux.waitFor("the page list") { $0.contains(pagesTitle) }
        try tmux.send("/")
        try tmux.type("hide")
        try await tmux.waitFor("›404 Not Found")
        try tmux.send("Enter", "Enter")
        try await tmux.waitFor("404 Not Found   4xx Client Error")
        try tmux.send("Tab", "Enter")
        try await tmux.waitFor("a followed link") { $0.split(separator: "\n").first?.contains("› 404 Not Found ›") == true }
        try tmux.send("Escape")
        try await tmux.waitFor("back on 404") { $0.split(separator: "\n").first?.hasSuffix("404 Not Found") == true || $0.contains("› 404 Not Found  ") }
        try tmux.resize(width: 40, height: 12)
        try await tmux.waitFor("Terminal too small")
        try tmux.resize(width: 80, height: 24)
        try await tmux.waitFor("404 Not Found   4xx Client Error")
        // Back from the page, clear the filter, back to home, quit.
        try tmux.send("q", "q", "q", "q")
        try await tmux.waitFor("exit=0")
        #expect(try tmux.terminalRestored())
    }

    /// What ncurses decodes itself right after a lone Esc (an arrow's sequence, a resize) is
    /// not lost with the Esc: here Esc closes the help and the Up that follows it at once moves.
    @Test func aKeyOrResizeRightAfterEscIsNotLost() async throws {
        let tmux = try TmuxSession("", width: 100, height: 30)
        try await tmux.waitFor("› [r] Reference")
        try tmux.send("Down", "Down")
        try await tmux.waitFor("› [f] Flowchart")
        try tmux.send("?")
        try await tmux.waitFor("Esc or ? closes")
        // One write: Esc, then `Esc [ A`, which ncurses turns into KEY_UP.
        try tmux.send("Escape", "Up")
        try await tmux.waitFor("the help closed and the selection one up", timeout: 10) { screen in
            !screen.contains("Esc or ? closes") && screen.contains("› [c] Cheat sheet")
        }
        try tmux.send("q")
        try await tmux.waitFor("exit=0")
    }

    /// ux-walk-1 M5: under TERM=xterm-256color, tmux's Home and End (`Esc [ 1 ~`, `Esc [ 4 ~`)
    /// are sequences ncurses has no entry for. They, and any other unknown CSI or SS3 sequence,
    /// are read whole: never as Esc, which on the home screen quits. A lone Esc still does.
    @Test func unknownEscapeSequencesAreNotEsc() async throws {
        let tmux = try TmuxSession()
        try await tmux.waitFor("Which status code should this response carry?")
        for bytes in [["1b", "5b", "31", "7e"], ["1b", "5b", "34", "7e"], ["1b", "5b", "39", "39", "7e"], ["1b", "4f", "5a"],
                      ["1b", "5b", "31", "3b", "35", "48"]] {
            try tmux.tmux(["send-keys", "-t", "t", "-H"] + bytes)
        }
        // A key after them is still read as itself, so the screen has taken them all.
        try tmux.type("?")
        let screen = try await tmux.waitFor("the help overlay") { $0.contains("Esc or ? closes") }
        #expect(!screen.contains("exit="), "an unknown sequence ended the program:\n\(screen)")
        // A lone Esc is Esc: it closes the overlay; on home it does not quit (q does).
        try tmux.tmux(["send-keys", "-t", "t", "-H", "1b"])
        try await tmux.waitFor("the overlay closed") { !$0.contains("Esc or ? closes") }
        try tmux.tmux(["send-keys", "-t", "t", "-H", "1b"])
        try tmux.type("q")
        try await tmux.waitFor("exit=0")
    }

    @Test func walkTheAuthFlowchartAt80x24AndResize() async throws {
        let tmux = try TmuxSession("flow auth")
        try await tmux.waitFor("Is this URL in an area anyone")
        try tmux.type("nnnnn")
        try await tmux.waitFor("HTTP/1.1 401 Unauthorized")
        try tmux.type("b")
        try await tmux.waitFor("Step 5: hide from strangers?")
        try tmux.type("r")
        try tmux.type("nnnyy1nynnn")
        try await tmux.waitFor("HTTP/1.1 403 Forbidden")
        try tmux.type("by")
        try await tmux.waitFor("HTTP/1.1 404 Not Found")
        try tmux.resize(width: 160, height: 50)
        try await tmux.waitFor("the 404 box still in view") { $0.contains("│ 404 Not Found") && $0.contains("HTTP/1.1 404 Not Found") }
        try tmux.resize(width: 40, height: 12)
        try await tmux.waitFor("Terminal too small")
        try tmux.resize(width: 80, height: 24)
        try await tmux.waitFor("HTTP/1.1 404 Not Found")
        try tmux.type("q")
        try await tmux.waitFor("exit=0")
        #expect(try tmux.terminalRestored())
    }

    /// Answers the question on screen with its first choice, whatever its kind: a pick is
    /// answered by the number, a pick-all also needs Enter, an order needs every number.
    func answerFirst(_ tmux: TmuxSession, until done: @escaping (String) -> Bool) async throws {
        try tmux.type("1")
        let screen = try await tmux.waitFor("the answer to register") { done($0) || $0.contains("[x] 1)") || $0.contains("(1) ") }
        if done(screen) { return }
        if screen.contains("[x] 1)") { try tmux.send("Enter") } else { try tmux.type("23456") }
        try await tmux.waitFor("the answer to be taken", done)
    }

    @Test func quizProgressSurvivesARestart() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("statuslab-tmux-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let export = state.appendingPathComponent("exam.json")
        do {
            let tmux = try TmuxSession(environment: "XDG_STATE_HOME=\(state.path)")
            try await tmux.waitFor("[z] Quiz")
            try tmux.type("zp")
            try await tmux.waitFor("Practice · question 1 of")
            for _ in 0..<3 {
                try await answerFirst(tmux) { $0.contains("Right.") || $0.contains("Not quite.") }
                try tmux.send("Enter")
                try await tmux.waitFor("the next question") { !$0.contains("Right.") && !$0.contains("Not quite.") }
            }
            try tmux.type("qq")
            try await tmux.waitFor("[z] Quiz")
            try tmux.type("q")
            try await tmux.waitFor("exit=0")
        }
        let progressFile = state.appendingPathComponent("statuslab/progress.json")
        func answered() throws -> Set<String> {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: progressFile)) as! [String: Any]
            return Set((json["items"] as! [String: Any]).keys)
        }
        let practised = try answered()
        #expect(practised.count == 3)
        let tmux = try TmuxSession("quiz --exam --count 5 --seed 9 --export \(export.path)", environment: "XDG_STATE_HOME=\(state.path)")
        try await tmux.waitFor("Exam · question 1 of 5")
        for number in 2...5 {
            try await answerFirst(tmux) { $0.contains("question \(number) of 5") }
            #expect(!(try tmux.screen()).contains("Right."), "no feedback during an exam")
        }
        try await answerFirst(tmux) { $0.contains("Results:") }
        try await tmux.waitFor("the export's notice") { $0.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: " ", with: "").contains("Resultswrittento\(export.path)") }
        try tmux.send("Enter")
        try await tmux.waitFor("the menu") { $0.contains("Streak:") }
        try tmux.type("q")
        try await tmux.waitFor("exit=0")
        #expect(FileManager.default.fileExists(atPath: export.path))
        // The second run added to what the first one kept.
        let now = try answered()
        #expect(now.isSuperset(of: practised))
        #expect(now.count >= 5)
    }

    @Test func wideTerminalShowsListAndPreview() async throws {
        let tmux = try TmuxSession(width: 200, height: 60)
        try await tmux.waitFor("Which status code should this response carry?")
        try tmux.send("r")
        try await tmux.waitFor("Preview")
        try tmux.send("/")
        try tmux.type("401")
        try await tmux.waitFor("preview of 401") { $0.contains("401 Unauthorized   4xx Client Error") }
        try tmux.send("C-c")
        try await tmux.waitFor("exit=0")
        #expect(try tmux.terminalRestored())
    }

    @Test func sigtermRestoresTheTerminal() async throws {
        let tmux = try TmuxSession()
        try await tmux.waitFor("Which status code should this response carry?")
        try tmux.send("r")
        try await tmux.waitFor("the page list") { $0.contains(pagesTitle) }
        kill(try tmux.statuslabPID(), SIGTERM)
        try await tmux.waitFor("exit=143")
        #expect(try tmux.terminalRestored())
    }

    @Test func sighupRestoresTheTerminal() async throws {
        let tmux = try TmuxSession()
        try await tmux.waitFor("Which status code should this response carry?")
        kill(try tmux.statuslabPID(), SIGHUP)
        try await tmux.waitFor("exit=129")
        #expect(try tmux.terminalRestored())
    }

    /// Ctrl-Z gives the terminal back as it was, `fg` redraws, and quitting restores it again:
    /// checked in the terminal itself (tmux's own record of the modes the program set, and the
    /// shell's `stty`), not in the words a shell prints about jobs.
    @Test(.enabled(if: Tools.bash, "job control needs bash")) func ctrlZSuspendsAndFgRedraws() async throws {
        let tmux = try TmuxSession(shell: true)
        let dir = tmux.directory.path
        try await tmux.shell("stty -g > \(dir)/before")
        try tmux.type(tmux.command + "\n")
        try await tmux.waitFor("Which status code should this response carry?")
        #expect(try tmux.pane("alternate_on") == "1" && tmux.pane("mouse_any_flag") == "1", "drawn on the alternate screen, mouse on")
        let pid = try tmux.statuslabPID()
        try tmux.send("C-z")
        try await tmux.waitUntil("statuslab to stop") { try Self.state(of: pid) == "T" }
        // Suspended: the shell has the normal screen, no mouse reports, and cooked mode.
        try await tmux.waitUntil("the normal screen") { try tmux.pane("alternate_on") == "0" }
        #expect(try tmux.pane("mouse_any_flag") == "0", "the terminal still reports the mouse while suspended")
        let suspended = try await tmux.settingsInTheShell()
        #expect(suspended.isSuperset(of: ["icanon", "echo", "icrnl", "opost"]), "\(suspended.sorted())")
        try tmux.type("fg\n")
        try await tmux.waitFor("Which status code should this response carry?")
        #expect(try tmux.pane("alternate_on") == "1" && tmux.pane("mouse_any_flag") == "1", "back on the alternate screen, mouse on")
        try tmux.send("Enter")
        try await tmux.waitFor("the page list") { $0.contains(pagesTitle) }
        try tmux.send("C-c")
        try await tmux.waitUntil("statuslab to end") { (try? Self.state(of: pid)) == nil }
        try await tmux.waitUntil("the normal screen") { try tmux.pane("alternate_on") == "0" }
        #expect(try tmux.pane("mouse_any_flag") == "0")
        // A job that ends leaves the terminal as it is (bash takes it as it finds it): what
        // statuslab restored is what the shell has now.
        try await tmux.shell("stty -g > \(dir)/after")
        #expect(try tmux.terminalRestored())
        let after = try await tmux.settingsInTheShell()
        #expect(after.isSuperset(of: ["icanon", "echo", "icrnl", "opost"]), "\(after.sorted())")
    }

    /// A process's state letter (`T` when stopped) from /proc; throws once it has gone.
    static func state(of pid: Int32) throws -> String {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // After the name in parentheses (which may hold spaces): the state.
        guard let close = stat.lastIndex(of: ")") else { return "" }
        return String(stat[stat.index(after: close)...].split(separator: " ").first ?? "")
    }

    @Test func dumbTerminalIsRefusedWithAClearMessage() async throws {
        let tmux = try TmuxSession(environment: "TERM=dumb")
        try await tmux.waitFor("exit=2")
        let screen = try tmux.screen()
        #expect(screen.contains("cannot draw a full-screen interface"))
        #expect(screen.contains("statuslab explain"))
    }

    @Test func noColorMeansNoColours() async throws {
        let plain = try TmuxSession(environment: "NO_COLOR=1")
        try await plain.waitFor("Which status code should this response carry?")
        try plain.send("r")
        try await plain.waitFor("the page list") { $0.contains(pagesTitle) }
        let mono = try plain.screen(escapes: true)
        #expect(!usesColour(mono))
        #expect(mono.contains("\u{1B}[7m"), "the selection is shown in reverse video")

        let coloured = try TmuxSession()
        try await coloured.waitFor("Which status code should this response carry?")
        try coloured.send("r")
        try await coloured.waitFor("the page list") { $0.contains(pagesTitle) }
        let colours = try coloured.screen(escapes: true)
        #expect(usesColour(colours))
    }
}

/// True when the captured screen sets a foreground or background colour (SGR 30–37, 38,
/// 40–47, 48, 90–97, 100–107).
func usesColour(_ capture: String) -> Bool {
    var rest = Substring(capture)
    while let start = rest.range(of: "\u{1B}[") {
        let after = rest[start.upperBound...]
        guard let end = after.firstIndex(of: "m") else { break }
        let parameters = after[..<end].split(separator: ";").compactMap { Int($0) }
        let colour: (Int) -> Bool = { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0) }
        if parameters.contains(where: colour) { return true }
        rest = after[end...]
    }
    return false
}
