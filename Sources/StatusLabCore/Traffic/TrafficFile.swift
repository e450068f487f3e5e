import Foundation

/// One exchange read from a file of recorded traffic, and where in the file it was.
public struct RecordedExchange: Sendable {
    /// "entry 12" in a HAR, "line 12" in JSON lines: what a message names.
    public var place: String
    public var entry: LabLogEntry

    public init(place: String, entry: LabLogEntry) {
        self.place = place
        self.entry = entry
    }
}

/// Files of recorded traffic: HAR 1.2 (browsers' devtools, Schemathesis, proxies) and the JSON
/// lines StatusLab writes (`serve --record`, the Lab's export).
public enum TrafficFile {
    public enum Format: String, Sendable { case har = "HAR", jsonLines = "JSON lines" }

    /// Why a file could not be read, and where.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let place: String
        public let message: String
        public var description: String { place.isEmpty ? message : "\(place): \(message)" }
    }

    /// The most response content kept per exchange: enough to tell an error body.
    public static let contentLimit = 64 * 1024

    /// Reads `data`, calling `each` with every exchange in order; a broken entry or line stops
    /// the reading with a problem that names it.
    @discardableResult
    public static func read(_ data: Data, _ each: (RecordedExchange) -> Void) throws(Problem) -> Format {
        let result: Result<Format, Problem> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var reader = JSONReader(bytes)
            // A byte-order mark is allowed before JSON text by many writers.
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { reader.offset = 3 }
            guard let first = reader.peek() else {
                return .failure(Problem(place: "", message: "the file is empty: neither HAR nor JSON lines"))
            }
            guard first == UInt8(ascii: "{") else {
                return .failure(Problem(place: "line \(JSONReader.line(of: reader.offset, in: bytes))",
                                        message: "neither HAR nor JSON lines: the file starts with \(JSONReader.describe(first)), not '{'"))
            }
            if firstKey(reader) == "log" {
                return Result { () throws(Problem) in try HARFile.read(reader, each); return .har }
            }
            return Result { () throws(Problem) in try ExchangeRecord.readLines(bytes, from: reader.offset, each); return .jsonLines }
        }
        return try result.get()
    }

    /// The first key of the object at the reader, if it has one.
    private static func firstKey(_ start: JSONReader) -> String? {
        var reader = start
        reader.offset += 1
        return reader.peek() == UInt8(ascii: "\"") ? try? reader.string() : nil
    }

    /// Header fields as a file states them, without HTTP/2's pseudo-headers (`:authority`).
    static func field(_ name: String, _ value: String) -> WireResponse.Field? {
        name.hasPrefix(":") ? nil : WireResponse.Field(name: name, value: value)
    }
}

/// HAR 1.2: `{"log": {"entries": [{request, response, …}]}}`. Entries are read one at a time.
enum HARFile {
    static func read(_ start: JSONReader, _ each: (RecordedExchange) -> Void) throws(TrafficFile.Problem) {
        var reader = start
        var index = 0
        var sawEntries = false
        do {
            try reader.object("the HAR file") { reader, key throws(JSONReader.Failure) in
                guard key == "log" else { return try reader.skipValue() }
                try reader.object("log") { reader, key throws(JSONReader.Failure) in
                    guard key == "entries" else { return try reader.skipValue() }
                    sawEntries = true
                    try reader.array("log.entries") { reader, position throws(JSONReader.Failure) in
                        index = position + 1
                        each(RecordedExchange(place: "entry \(index)", entry: try entry(&reader, number: index)))
                    }
                }
            }
        } catch {
            let place = index > 0 ? "entry \(index) (line \(JSONReader.line(of: error.offset, in: reader.bytes)))"
                : "line \(JSONReader.line(of: error.offset, in: reader.bytes))"
            throw TrafficFile.Problem(place: place, message: error.message)
        }
        guard sawEntries else { throw TrafficFile.Problem(place: "", message: "a HAR file needs log.entries; this one has none") }
    }

    static func entry(_ reader: inout JSONReader, number: Int) throws(JSONReader.Failure) -> LabLogEntry {
        var entry = LabLogEntry(number: number, date: .distantPast, method: "", target: "", status: 0, interim: [], decision: nil,
                                requestHeaders: [], responseHeaders: [], bodyPrefix: "", duration: .zero)
        var sawResponse = false
        try reader.object("an entry") { reader, key throws(JSONReader.Failure) in
            switch key {
            case "startedDateTime": entry.date = (try reader.optionalString()).flatMap(RecordDate.parse) ?? .distantPast
            case "time": entry.duration = .microseconds(Int64((try reader.number()) * 1000))
            case "request":
                try reader.object("request") { reader, key throws(JSONReader.Failure) in
                    switch key {
                    case "method": entry.method = try reader.string()
                    case "url": entry.target = try reader.string()
                    case "headers": entry.requestHeaders = try headers(&reader)
                    case "postData":
                        try reader.object("postData") { reader, key throws(JSONReader.Failure) in
                            if key == "text", let text = try reader.optionalString() { entry.bodyPrefix = String(text.prefix(200)) } else { try reader.skipValue() }
                        }
                    default: try reader.skipValue()
                    }
                }
            case "response":
                sawResponse = true
                try reader.object("response") { reader, key throws(JSONReader.Failure) in
                    switch key {
                    case "status": entry.status = Int(try reader.number())
                    case "headers": entry.responseHeaders = try headers(&reader)
                    case "content": entry.responseContent = try content(&reader)
                    default: try reader.skipValue()
                    }
                }
            default: try reader.skipValue()
            }
        }
        guard !entry.method.isEmpty, !entry.target.isEmpty else { throw reader.fail("entry \(number) has no request method or url") }
        guard sawResponse else { throw reader.fail("entry \(number) has no response") }
        return entry
    }

    static func headers(_ reader: inout JSONReader) throws(JSONReader.Failure) -> [WireResponse.Field] {
        var fields: [WireResponse.Field] = []
        try reader.array("headers") { reader, _ throws(JSONReader.Failure) in
            var name = "", value = ""
            try reader.object("a header") { reader, key throws(JSONReader.Failure) in
                switch key {
                case "name": name = try reader.string()
                case "value": value = try reader.optionalString() ?? ""
                default: try reader.skipValue()
                }
            }
            if let field = TrafficFile.field(name, value) { fields.append(field) }
        }
        return fields
    }

    /// The response content: text as is, base64 decoded; both cut to `contentLimit`.
    static func content(_ reader: inout JSONReader) throws(JSONReader.Failure) -> [UInt8] {
        var text: String?, base64 = false
        try reader.object("content") { reader, key throws(JSONReader.Failure) in
            switch key {
            case "text": text = try reader.optionalString()
            case "encoding": base64 = (try reader.optionalString()) == "base64"
            default: try reader.skipValue()
            }
        }
        guard let text else { return [] }
        if base64 {
            // Only the first part is needed; base64 decodes in blocks of four characters.
            let cut = String(text.prefix((TrafficFile.contentLimit / 3 + 1) * 4))
            return Data(base64Encoded: cut, options: .ignoreUnknownCharacters).map { Array($0.prefix(TrafficFile.contentLimit)) } ?? []
        }
        return Array(text.utf8.prefix(TrafficFile.contentLimit))
    }
}

/// Dates as HAR and StatusLab's records write them: ISO 8601 with an offset or Z, fractions
/// optional. Read by hand: a formatter costs more than the rest of an entry.
enum RecordDate {
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2) else { return nil }
        var index = 19, fraction = 0.0, scale = 0.1
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
           let hours = digits(index + 1, 2), let minutes = digits(index + 4, 2) {
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        }
        // Days from the civil date (Howard Hinnant's algorithm), so no calendar is needed.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// `2026-12-03T12:00:00.123Z`.
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
