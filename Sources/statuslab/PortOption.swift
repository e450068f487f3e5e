import ArgumentParser

/// `--port` for the commands that run the built-in server (`serve`, `lab`, `exercise watch`).
struct PortOption: ParsableArguments {
    @Option(help: "The port the built-in server listens on; 0 picks a free one.")
    var port = 8401

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port takes 0 to 65535, not \(port).") }
    }
}
