import Foundation

/// A diagram as text another tool draws, for slides and handouts: Mermaid (which code-hosting
/// sites render in Markdown) or Graphviz DOT. Questions are boxes, outcomes rounded boxes with
/// their status line, edges carry the answers.
public enum DiagramExport {
    public enum Format: String, CaseIterable, Sendable {
        case mermaid, dot
    }

    public static func text(_ diagram: Diagram, format: Format) -> String {
        switch format {
        case .mermaid: mermaid(diagram)
        case .dot: dot(diagram)
        }
    }

    static func mermaid(_ diagram: Diagram) -> String {
        var lines = ["---", "title: \(mermaidText(diagram.title))", "---", "flowchart TD"]
        for node in diagram.nodes {
            switch node {
            case .question(let question):
                lines.append("    \(identifier(question.id))[\"\(wrapped(question.ask).map(mermaidText).joined(separator: "<br/>"))\"]")
            case .outcome(let outcome):
                lines.append("    \(identifier(outcome.id))([\"\(StatusRegistry.statusText(outcome.status))<br/>\(mermaidText(outcome.label))\"])")
            }
        }
        for question in diagram.questions {
            for answer in question.answers {
                lines.append("    \(identifier(question.id)) -->|\(mermaidText(answer.label))| \(identifier(answer.target))")
            }
        }
        for outcome in diagram.outcomes {
            lines.append("    class \(identifier(outcome.id)) status\(outcome.status / 100)xx")
        }
        lines += [
            "    classDef status2xx fill:#d8f5d8,stroke:#2a7a2a",
            "    classDef status3xx fill:#d8e8f8,stroke:#2a5a9a",
            "    classDef status4xx fill:#f8e8c8,stroke:#9a6a1a",
            "    classDef status5xx fill:#f8d8d8,stroke:#9a2a2a",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    static func dot(_ diagram: Diagram) -> String {
        var lines = ["digraph \(dotString(diagram.id)) {", "    label=\(dotString(diagram.title));", "    labelloc=t;",
                     "    node [fontname=\"Helvetica\"];", "    edge [fontname=\"Helvetica\", fontsize=10];"]
        let fills = [2: "#d8f5d8", 3: "#d8e8f8", 4: "#f8e8c8", 5: "#f8d8d8"]
        for node in diagram.nodes {
            switch node {
            case .question(let question):
                lines.append("    \(dotString(question.id)) [shape=box, label=\(dotString(wrapped(question.ask).joined(separator: "\n")))];")
            case .outcome(let outcome):
                let label = StatusRegistry.statusText(outcome.status) + "\n" + outcome.label
                lines.append("    \(dotString(outcome.id)) [shape=box, style=\"rounded,filled\", fillcolor=\"\(fills[outcome.status / 100] ?? "#eeeeee")\", label=\(dotString(label))];")
            }
        }
        for question in diagram.questions {
            for answer in question.answers {
                lines.append("    \(dotString(question.id)) -> \(dotString(answer.target)) [label=\(dotString(answer.label))];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A question's text in lines of about 32 characters, so boxes stay narrow on a slide.
    static func wrapped(_ text: String, width: Int = 32) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Mermaid node ids: letters, digits and underscores.
    static func identifier(_ id: String) -> String {
        "n_" + String(id.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// Text inside a quoted Mermaid label: quotes become `#quot;`, and `|`, which ends an edge
    /// label, `#124;`.
    static func mermaidText(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "|", with: "#124;")
    }

    /// A DOT double-quoted string: backslashes and quotes escaped, newlines as `\n`.
    static func dotString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
