import Foundation
import StatusLabCore

/// What `judge` found in each file of recorded traffic: text for a person, JSON for a script,
/// JUnit XML for CI.
public struct TrafficReport: Sendable {
    public struct File: Sendable {
        public let name: String
        public let format: TrafficFile.Format
        public let exchanges: Int
        public let findings: [TrafficFinding]

        public init(name: String, format: TrafficFile.Format, exchanges: Int, findings: [TrafficFinding]) {
            self.name = name
            self.format = format
            self.exchanges = exchanges
            self.findings = findings
        }
    }

    public let files: [File]

    public init(files: [File]) { self.files = files }

    /// Reads and judges one file: a first pass learns what the whole file shows, the second
    /// judges each exchange with it.
    public static func judge(_ data: Data, name: String, auth: Diagram) throws(TrafficFile.Problem) -> File {
        var judge = TrafficJudge(auth: auth)
        var count = 0
        let format = try TrafficFile.read(data) { judge.learn($0.entry); count += 1 }
        var findings: [TrafficFinding] = []
        try TrafficFile.read(data) { findings += judge.judge($0) }
        return File(name: name, format: format, exchanges: count, findings: findings)
    }

    public var findingCount: Int { files.reduce(0) { $0 + $1.findings.count } }

    public func render(_ format: CheckReport.Format) -> String {
        switch format {
        case .text: text
        case .json: json
        case .junit: junit
        }
    }

    /// A value shown in a report: one line, and not a screenful (a header can be 10 MB).
    static func clip(_ text: String, _ limit: Int = 160) -> String {
        let line = String(text.map { $0.isNewline || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true ? " " : $0 })
        return line.count > limit ? String(line.prefix(limit)) + "…" : line
    }

    var text: String {
        var lines: [String] = []
        for file in files {
            for finding in file.findings {
                lines.append("\(file.name) \(finding.place)  \(Self.clip(finding.exchange))")
                lines.append("      \(finding.rule): \(Self.clip(finding.detail, 600))")
                if let path = finding.path { lines.append("      decision: \(path)") }
                lines.append("      read: statuslab explain \(finding.page)")
            }
        }
        if !lines.isEmpty { lines.append("") }
        for file in files {
            let exchanges = Set(file.findings.map(\.place)).count
            lines.append("\(file.name): \(file.format.rawValue), \(file.exchanges) exchange\(file.exchanges == 1 ? "" : "s"), "
                         + (file.findings.isEmpty ? "no findings" : "\(file.findings.count) finding\(file.findings.count == 1 ? "" : "s") in \(exchanges)"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var json: String {
        let object: [String: Any] = [
            "exchanges": files.reduce(0) { $0 + $1.exchanges },
            "findings": findingCount,
            "files": files.map { file -> [String: Any] in
                ["file": file.name, "format": file.format.rawValue, "exchanges": file.exchanges,
                 "findings": file.findings.map { finding -> [String: Any] in
                     var entry: [String: Any] = ["place": finding.place, "exchange": Self.clip(finding.exchange, 2000), "rule": finding.rule,
                                                 "detail": Self.clip(finding.detail, 2000), "page": finding.page]
                     if let path = finding.path { entry["decision"] = path }
                     return entry
                 }]
            },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// One test case per exchange with findings, and one for all the others.
    var junit: String {
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<testsuites name=\"statuslab judge\">"]
        for file in files {
            let byPlace = Dictionary(grouping: file.findings, by: \.place)
            let places = file.findings.map(\.place).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            lines.append("  <testsuite name=\"\(CheckReport.escape(file.name))\" tests=\"\(places.count + 1)\" failures=\"\(places.count)\">")
            for place in places {
                let findings = byPlace[place] ?? []
                let name = "\(place): \(Self.clip(findings[0].exchange))"
                let body = findings.map { "\($0.rule): \($0.detail)" + ($0.path.map { "\ndecision: \($0)" } ?? "") + "\nread: statuslab explain \($0.page)" }
                lines.append("    <testcase classname=\"statuslab.judge\" name=\"\(CheckReport.escape(name))\">")
                lines.append("      <failure message=\"\(CheckReport.escape(findings.map(\.rule).joined(separator: "; ")))\">\(CheckReport.escape(body.joined(separator: "\n\n")))</failure>")
                lines.append("    </testcase>")
            }
            lines.append("    <testcase classname=\"statuslab.judge\" name=\"\(file.exchanges - places.count) other exchanges\"/>")
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }
}
