import Foundation
import StatusLabCore

/// A small JSON writer for the service's bodies: pretty and key-sorted as JSONSerialization's,
/// but with `{}` and `[]` for empty objects and arrays (Foundation on Linux writes an empty
/// object over three lines) and without `\/` for every slash (valid JSON, but learners read
/// these bodies and copy the URLs). Not kept for speed: refusals are built once and cached, and
/// JSONSerialization measured the same (docs/BENCHMARKS.md, "The house").
enum JSONText {
    static func encode(_ value: Any, indent: String = "") -> String {
        switch value {
        case let string as String: return JSONString.quoted(string)
        case let bool as Bool: return bool ? "true" : "false"
        case let int as Int: return String(int)
        case let array as [Any]:
            if array.isEmpty { return "[]" }
            let inner = indent + "  "
            return "[\n" + array.map { inner + encode($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case let object as [String: Any]:
            if object.isEmpty { return "{}" }
            let inner = indent + "  "
            return "{\n" + object.keys.sorted().map { key in inner + JSONString.quoted(key) + " : " + encode(object[key]!, indent: inner) }
                .joined(separator: ",\n") + "\n" + indent + "}"
        default: return JSONString.quoted(String(describing: value))
        }
    }

}
