import Foundation
import Testing

/// The statuslab binary built next to this test bundle.
let statuslab: String = {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var directory = executable.deletingLastPathComponent()
    // The test runner may sit inside an .xctest bundle directory.
    while directory.path != "/" {
        let candidate = directory.appendingPathComponent("statuslab").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return "statuslab"
}()

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

struct Run: CustomTestStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String

    var testDescription: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

/// Runs statuslab (or another program found on PATH) with `arguments`, stdin from /dev/null
/// (or `input`), stdout and stderr piped.
func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil, executable: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable == nil ? statuslab : "/usr/bin/env")
    process.arguments = (executable.map { [$0] } ?? []) + arguments
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = nil
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    if let input {
        let pipe = Pipe()
        process.standardInput = pipe
        pipe.fileHandleForWriting.write(Data(input.utf8))
        try pipe.fileHandleForWriting.close()
    } else {
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
    }
    try process.run()
    // Read both pipes before waiting, so a large output cannot block the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
               stderr: String(decoding: errData, as: UTF8.self))
}

/// A copy of the repository's content/ in a fresh temporary folder.
func copyOfContent() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("statuslab-content-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("content"), to: folder)
    return folder
}

/// Runs a program and waits for it with posix_spawn and waitpid. Foundation's Process is not
/// used for tmux: it notices a child's exit only when every copy of a descriptor it hands the
/// child is closed, and the tmux server, forked by the client, keeps one open for good.
@discardableResult
func spawnAndWait(_ arguments: [String], stdoutPath: String) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    // Nothing else of the test runner's: the tmux server lives on, and a listening socket of
    // another test's server that it inherited would keep that port bound after the server
    // stopped (as a Lab test saw).
    closeFrom(3, in: &actions)
    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    // The test runner's threads block most signals, and a child inherits that mask: give tmux
    // (and the statuslab it starts) a clean one, as a shell would.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t(), all = sigset_t()
    sigemptyset(&empty)
    sigfillset(&all)
    sigdelset(&all, SIGKILL)
    sigdelset(&all, SIGSTOP)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return status
}

/// glibc's posix_spawn_file_actions_addclosefrom_np (2.34 and later), which Swift's Glibc does
/// not export: looked up by name, and left out where the C library lacks it.
func closeFrom(_ lowest: Int32, in actions: inout posix_spawn_file_actions_t) {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
    _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, lowest)
}

/// Sends `signal` and waits for `process` to end, `seconds` at most: past that it is killed and
/// the test fails, rather than one lost signal hanging the whole run (as a SIGTERM once did).
func stop(_ process: Process, with signal: Int32 = SIGTERM, within seconds: TimeInterval = 20,
          sourceLocation: SourceLocation = #_sourceLocation) async {
    kill(process.processIdentifier, signal)
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    if process.isRunning {
        Issue.record("the process did not end within \(Int(seconds)) s of signal \(signal); it was killed", sourceLocation: sourceLocation)
        kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
}

/// Starts statuslab with `arguments` in the background, its standard output read as it comes
/// (standard error dropped): for commands that run until stopped (`exercise watch`, `room`).
func launch(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, PipeReader) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: statuslab)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle(forWritingAtPath: "/dev/null")
    let output = PipeReader(out)
    try process.run()
    return (process, output)
}

/// The reference list's title, "Pages (N)", with N the built-in pages as the binary's own
/// `content check` counts them: the terminal tests wait for the list by it, no count written in.
/// Should the check's line change, "Pages (?)" shows nowhere and those waits fail with the screen.
let pagesTitle: String = {
    let count = (try? run(["content", "check"]))?.stdout.firstMatch(of: /; (\d+) pages,/).map { String($0.1) }
    return "Pages (\(count ?? "?"))"
}()
