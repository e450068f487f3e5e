import ArgumentParser
import StatusLabClient

/// `--port` for the commands that run the built-in server (`serve`, `lab`, `exercise watch`).
struct PortOption: ParsableArguments {
    @Option(help: "The port the built-in server listens on; 0 picks a free one.")
    var port = 8401

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port takes 0 to 65535, not \(port).") }
    }
}

/// `--room URL --name NAME --code CODE`: a learner joins a workshop's room (`exercise watch`,
/// the interface, `quiz --exam`).
struct RoomJoinOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A workshop room to work in (the address the instructor gives): your requests and exam count there.", valueName: "url"))
    var room: String?
    @Option(help: ArgumentHelp("Your name in the room.", valueName: "name")) var name: String?
    @Option(help: ArgumentHelp("The room's join code, from the instructor's screen.", valueName: "code")) var code: String?

    func validate() throws {
        if room == nil, name != nil || code != nil { throw ValidationError("--name and --code go with --room URL.") }
        if room != nil, name == nil || code == nil { throw ValidationError("--room needs --name (yours) and --code (the room's join code).") }
    }

    var client: RoomClient? { room.map(RoomClient.init(room:)) }

    func backend() -> RoomLabBackend? {
        guard let room, let name, let code else { return nil }
        return RoomLabBackend(room: room, name: name, code: code)
    }
}
