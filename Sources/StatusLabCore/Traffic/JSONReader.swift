import Foundation

/// A forward-only JSON reader over bytes, for recorded traffic: it reads only the members asked
/// for and steps over the rest without building them, so a HAR of 100,000 exchanges is judged
/// one entry at a time, in little more memory than the file (docs/BENCHMARKS.md, "judge").
/// Foundation's parsers build the whole tree first.
struct JSONReader {
    struct Failure: Error {
        let offset: Int
        let message: String
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, from offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var atEnd: Bool { offset >= bytes.count }

    mutating func skipSpace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    /// The next byte that is not white space, without taking it.
    mutating func peek() -> UInt8? {
        skipSpace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    func fail(_ message: String) -> Failure { Failure(offset: offset, message: message) }

    func ended(_ what: String) -> Failure { Failure(offset: offset, message: "the file ends in the middle of \(what)") }

    mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        guard let next = peek() else { throw ended(what) }
        guard next == byte else { throw fail("expected \(what), found \(Self.describe(next))") }
        offset += 1
    }

    /// Calls `member` with each key of an object; `member` must read or skip the value.
    mutating func object(_ what: String, _ member: (inout JSONReader, String) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "{"), "an object (\(what))")
        if peek() == UInt8(ascii: "}") { offset += 1; return }
        while true {
            guard peek() != nil else { throw ended(what) }
            let key = try string()
            try expect(UInt8(ascii: ":"), "':' after \"\(key)\"")
            try member(&self, key)
            guard let next = peek() else { throw ended(what) }
            offset += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { offset -= 1; throw fail("expected ',' or '}' in \(what), found \(Self.describe(next))") }
        }
    }

    /// Calls `element` with each element of an array; `element` must read or skip it.
    mutating func array(_ what: String, _ element: (inout JSONReader, Int) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "["), "an array (\(what))")
        if peek() == UInt8(ascii: "]") { offset += 1; return }
        var index = 0
        while true {
            guard peek() != nil else { throw ended(what) }
            try element(&self, index)
            index += 1
            guard let next = peek() else { throw ended(what) }
            offset += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { offset -= 1; throw fail("expected ',' or ']' in \(what), found \(Self.describe(next))") }
        }
    }

    mutating func string() throws(Failure) -> String {
        try expect(UInt8(ascii: "\""), "a string")
        let start = offset
        // Fast path: no escapes.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                defer { offset += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            offset += 1
        }
        guard offset < bytes.count else { throw ended("a string") }
        var scalars = Array(bytes[start..<offset])
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard offset < bytes.count else { throw ended("a string") }
                let escaped = bytes[offset]
                offset += 1
                switch escaped {
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "u"):
                    var value = try hex4()
                    if (0xD800..<0xDC00).contains(value), offset + 1 < bytes.count,
                       bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") {
                        offset += 2
                        let low = try hex4()
                        value = 0x10000 + ((value - 0xD800) << 10) + ((low &- 0xDC00) & 0x3FF)
                    }
                    scalars.append(contentsOf: String(Character(Unicode.Scalar(value) ?? "\u{FFFD}")).utf8)
                default: scalars.append(escaped)
                }
            default:
                scalars.append(byte)
            }
        }
        throw ended("a string")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw ended("a string") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("a \\u escape needs four hex digits")
            }
            value = value * 16 + digit
            offset += 1
        }
        return value
    }

    /// A number, as a Double (HAR's times and sizes; a status is whole).
    mutating func number() throws(Failure) -> Double {
        guard peek() != nil else { throw ended("a number") }
        let start = offset
        while offset < bytes.count, Self.isNumberByte(bytes[offset]) { offset += 1 }
        guard offset > start, let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)) else {
            offset = start
            throw fail("expected a number, found \(Self.describe(bytes[start]))")
        }
        return value
    }

    /// A string, or nil for JSON null (HAR writers put null where a value is unknown).
    mutating func optionalString() throws(Failure) -> String? {
        if peek() == UInt8(ascii: "n") { try skipValue(); return nil }
        if let next = peek(), next != UInt8(ascii: "\"") { try skipValue(); return nil }
        return try string()
    }

    mutating func skipValue() throws(Failure) {
        guard let next = peek() else { throw ended("a value") }
        switch next {
        case UInt8(ascii: "{"): try object("an object") { reader, _ throws(Failure) in try reader.skipValue() }
        case UInt8(ascii: "["): try array("an array") { reader, _ throws(Failure) in try reader.skipValue() }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    /// Steps over a string without decoding it (a 10 MB header value costs a scan, not a copy).
    private mutating func skipString() throws(Failure) {
        offset += 1
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "\""): offset += 1; return
            case UInt8(ascii: "\\"): offset += 2
            default: offset += 1
            }
        }
        throw ended("a string")
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw ended("a value") }
        for index in 0..<count where bytes[offset + index] != word.utf8Start[index] {
            throw fail("expected a value, found \(Self.describe(bytes[offset]))")
        }
        offset += count
    }

    static func isNumberByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    static func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
    }

    /// The 1-based line of `offset` in `bytes`, for messages.
    static func line(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var line = 1
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A { line += 1 }
        return line
    }
}
