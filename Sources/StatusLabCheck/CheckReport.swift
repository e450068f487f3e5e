import Foundation
import StatusLabClient

/// The results of a check as text for a person, JSON for a script, JUnit XML for CI.
public enum CheckReport {
    public enum Format: String, CaseIterable, Sendable { case text, json, junit }

    /// `insecure`: certificates were not checked, which the report says at its top (and, as
    /// text, at its end too).
    public static func render(_ results: [APICheck.Result], format: Format, base: String, insecure: Bool = false) -> String {
        switch format {
        case .text: return warned(text(results), insecure: insecure)
        case .json: return json(results, base: base, insecure: insecure)
        case .junit:
            let report = junit(results, base: base)
            guard insecure, let start = report.range(of: ">\n", range: report.range(of: "<testsuite")!.lowerBound..<report.endIndex) else { return report }
            return report.replacingCharacters(in: start, with: ">\n  <properties><property name=\"insecure\" value=\"true\"/></properties>\n  <system-out>\(escape(TLSOptions.insecureWarning))</system-out>\n")
        }
    }

    static func text(_ results: [APICheck.Result]) -> String {
        var lines: [String] = []
        for result in results {
            lines.append((result.passed ? "pass  " : "FAIL  ") + result.name + (result.passed ? "" : ""))
            if !result.passed {
                lines.append("      " + result.detail)
                if let path = result.path { lines.append("      decision: \(path)") }
                if let page = result.page { lines.append("      read: statuslab explain \(page)") }
            }
        }
        let failed = results.filter { !$0.passed }.count
        lines.append("")
        lines.append("\(results.count - failed) passed, \(failed) failed")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A text report with the `--insecure` warning above and below it.
    static func warned(_ text: String, insecure: Bool) -> String {
        insecure ? TLSOptions.insecureWarning + "\n\n" + text + TLSOptions.insecureWarning + "\n" : text
    }

    /// Results as JSON objects, as every JSON report lists them.
    static func jsonChecks(_ results: [APICheck.Result]) -> [[String: Any]] {
        results.map { result in
            var entry: [String: Any] = ["name": result.name, "passed": result.passed, "detail": result.detail]
            if let path = result.path { entry["decision"] = path }
            if let page = result.page { entry["page"] = page }
            return entry
        }
    }

    /// A JSON report's text (with the `--insecure` warning as a member when it applies).
    static func jsonText(_ object: [String: Any], insecure: Bool) -> String {
        var object = object
        if insecure { object["insecure"] = TLSOptions.insecureWarning }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func json(_ results: [APICheck.Result], base: String, insecure: Bool = false) -> String {
        let failed = results.filter { !$0.passed }.count
        return jsonText(["base": base, "passed": results.count - failed, "failed": failed, "checks": jsonChecks(results)], insecure: insecure)
    }

    /// Text as XML allows it in attributes and elements; control characters, which XML 1.0
    /// cannot carry at all, become spaces.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func junit(_ results: [APICheck.Result], base: String) -> String {
        let failed = results.filter { !$0.passed }.count
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                     "<testsuite name=\"statuslab check \(escape(base))\" tests=\"\(results.count)\" failures=\"\(failed)\">"]
        for result in results {
            if result.passed {
                lines.append("  <testcase classname=\"statuslab.check\" name=\"\(escape(result.name))\"/>")
            } else {
                var body = result.detail
                if let path = result.path { body += "\ndecision: \(path)" }
                if let page = result.page { body += "\nread: statuslab explain \(page)" }
                lines.append("  <testcase classname=\"statuslab.check\" name=\"\(escape(result.name))\">")
                lines.append("    <failure message=\"\(escape(result.detail))\">\(escape(body))</failure>")
                lines.append("  </testcase>")
            }
        }
        lines.append("</testsuite>")
        return lines.joined(separator: "\n") + "\n"
    }
}
