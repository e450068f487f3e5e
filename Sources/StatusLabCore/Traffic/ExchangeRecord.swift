import Foundation

/// StatusLab's own record of an exchange: one JSON object a line, written by `serve --record`
/// and the Lab's export, read by `judge` and `lab --open`. Text content is kept as text, any
/// other as base64.
///
///     {"time":"2026-12-03T12:00:00.120Z","method":"GET","target":"/api/notes","status":401,
///      "duration_ms":0.4,"request_headers":[["Host","127.0.0.1:8401"]],
///      "response_headers":[["WWW-Authenticate","Bearer realm=\"statuslab\""]],"body":"…"}
public enum ExchangeRecord {
    public static func line(_ entry: LabLogEntry) -> String {
        var line = "{\"time\":\"\(RecordDate.format(entry.date))\",\"method\":" + JSONString.quoted(entry.method)
            + ",\"target\":" + JSONString.quoted(entry.target) + ",\"status\":\(entry.status)"
        if !entry.interim.isEmpty { line += ",\"interim\":[" + entry.interim.map(String.init).joined(separator: ",") + "]" }
        if let decision = entry.decision { line += ",\"decision\":" + JSONString.quoted(decision) }
        let micros = entry.duration.components.seconds * 1_000_000 + entry.duration.components.attoseconds / 1_000_000_000_000
        line += ",\"duration_ms\":\(Double(micros) / 1000)"
        line += ",\"request_headers\":" + fields(entry.requestHeaders) + ",\"response_headers\":" + fields(entry.responseHeaders)
        if !entry.bodyPrefix.isEmpty { line += ",\"request_body\":" + JSONString.quoted(entry.bodyPrefix) }
        if !entry.responseContent.isEmpty {
            if let text = String(validating: entry.responseContent, as: UTF8.self) {
                line += ",\"body\":" + JSONString.quoted(text)
            } else {
                line += ",\"body_base64\":\"" + Data(entry.responseContent).base64EncodedString() + "\""
            }
        }
        return line + "}"
    }

    static func fields(_ fields: [WireResponse.Field]) -> String {
        "[" + fields.map { "[" + JSONString.quoted($0.name) + "," + JSONString.quoted($0.value) + "]" }.joined(separator: ",") + "]"
    }


    /// Reads JSON lines from `start`; blank lines are skipped.
    static func readLines(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ each: (RecordedExchange) -> Void) throws(TrafficFile.Problem) {
        var offset = start, line = JSONReader.line(of: start, in: bytes), number = 0
        while offset < bytes.count {
            var end = offset
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            var reader = JSONReader(UnsafeBufferPointer(rebasing: bytes[offset..<end]))
            if reader.peek() != nil {
                number += 1
                do throws(JSONReader.Failure) {
                    let entry = try record(&reader, number: number)
                    guard reader.peek() == nil else { throw reader.fail("more after the record's closing '}'") }
                    each(RecordedExchange(place: "line \(line)", entry: entry))
                } catch {
                    let message = number == 1 ? "neither HAR nor JSON lines: \(error.message)" : error.message
                    throw TrafficFile.Problem(place: "line \(line)", message: message)
                }
            }
            offset = end + 1
            line += 1
        }
    }

    static func record(_ reader: inout JSONReader, number: Int) throws(JSONReader.Failure) -> LabLogEntry {
        var entry = LabLogEntry(number: number, date: .distantPast, method: "", target: "", status: 0, interim: [], decision: nil,
                                requestHeaders: [], responseHeaders: [], bodyPrefix: "", duration: .zero)
        try reader.object("a record") { reader, key throws(JSONReader.Failure) in
            switch key {
            case "time": entry.date = (try reader.optionalString()).flatMap(RecordDate.parse) ?? .distantPast
            case "method": entry.method = try reader.string()
            case "target": entry.target = try reader.string()
            case "status": entry.status = Int(try reader.number())
            case "interim": try reader.array("interim") { reader, _ throws(JSONReader.Failure) in entry.interim.append(Int(try reader.number())) }
            case "decision": entry.decision = try reader.optionalString()
            case "duration_ms": entry.duration = .microseconds(Int64((try reader.number()) * 1000))
            case "request_headers": entry.requestHeaders = try pairs(&reader)
            case "response_headers": entry.responseHeaders = try pairs(&reader)
            case "request_body": entry.bodyPrefix = try reader.string()
            case "body": entry.responseContent = Array(try reader.string().utf8.prefix(TrafficFile.contentLimit))
            case "body_base64":
                entry.responseContent = Data(base64Encoded: try reader.string()).map { Array($0.prefix(TrafficFile.contentLimit)) } ?? []
            default: try reader.skipValue()
            }
        }
        guard !entry.method.isEmpty, !entry.target.isEmpty, (100...999).contains(entry.status) else {
            throw reader.fail("not a StatusLab exchange record: it needs method, target and status")
        }
        return entry
    }

    static func pairs(_ reader: inout JSONReader) throws(JSONReader.Failure) -> [WireResponse.Field] {
        var fields: [WireResponse.Field] = []
        try reader.array("headers") { reader, _ throws(JSONReader.Failure) in
            var pair: [String] = []
            try reader.array("a header") { reader, _ throws(JSONReader.Failure) in pair.append(try reader.string()) }
            guard pair.count == 2 else { throw reader.fail("a header is [name, value]") }
            if let field = TrafficFile.field(pair[0], pair[1]) { fields.append(field) }
        }
        return fields
    }
}
