import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Programs some tests drive, found on PATH: a machine without one skips those tests, saying
/// why, instead of failing them.
public enum Tools {
    public static func has(_ name: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
        }
    }

    public static let curl = has("curl")
    public static let python3 = has("python3")
    public static let tmux = has("tmux")
    /// bash, whose /dev/tcp opens raw connections for the tests that write bytes themselves.
    public static let bash = has("bash")
}

/// Whether something accepts connections on the loopback `port`.
public func listening(on port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}
