import Foundation

/// A small JSON writer for the service's bodies: pretty and key-sorted as JSONSerialization's,
/// but with `{}` and `[]` for empty objects and arrays (Foundation on Linux writes an empty
/// object over three lines) and without `\/` for every slash (valid JSON, but learners read
/// these bodies and copy the URLs). Not kept for speed: refusals are built once and cached, and
/// JSONSerialization measured the same (docs/BENCHMARKS.md, "The house").
enum JSONText {
    static func encode(_ value: Any, indent: String = "") -> String {
        switch value {
        case let string as String: return quote(string)
        case let bool as Bool: return bool ? "true" : "false"
        case let int as Int: return String(int)
        case let array as [Any]:
            if array.isEmpty { return "[]" }
            let inner = indent + "  "
            return "[\n" + array.map { inner + encode($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case let object as [String: Any]:
            if object.isEmpty { return "{}" }
            let inner = indent + "  "
            return "{\n" + object.keys.sorted().map { key in inner + quote(key) + " : " + encode(object[key]!, indent: inner) }
                .joined(separator: ",\n") + "\n" + indent + "}"
        default: return quote(String(describing: value))
        }
    }

    /// Works on UTF-8 bytes: only ASCII needs escaping, everything else is copied as is.
    static func quote(_ text: String) -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [92, 34]
            case UInt8(ascii: "\\"): out += [92, 92]
            case UInt8(ascii: "\n"): out += [92, 110]
            case UInt8(ascii: "\r"): out += [92, 114]
            case UInt8(ascii: "\t"): out += [92, 116]
            case 0..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}
