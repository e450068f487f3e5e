import ArgumentParser
import Foundation
import StatusLabClient

/// `--cacert FILE` and `--insecure`, for the commands that speak https.
struct TLSFlags: ParsableArguments {
    @Option(name: .customLong("cacert"), help: ArgumentHelp("Trust the CA certificate(s) in this PEM file for https, instead of the system's store.", valueName: "file"))
    var caFile: String?

    @Flag(help: "Do not check https certificates at all. Said loudly on screen and in every report; never use it with real credentials.")
    var insecure = false

    func validate() throws {
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("--cacert \(caFile): no such file, or it cannot be read.")
        }
        if insecure, caFile != nil { throw ValidationError("--insecure checks no certificate, so --cacert would do nothing: give one or the other.") }
    }

    var options: TLSOptions { TLSOptions(caFile: caFile, insecure: insecure) }
}
