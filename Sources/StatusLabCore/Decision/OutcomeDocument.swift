/// An outcome as a learner reads it: the status line and headers as on the wire, why, the spec,
/// the alternatives. The flowchart panel and `flow --plain` both show this.
public enum OutcomeDocument {
    public static func blocks(_ outcome: Outcome, in diagram: Diagram) -> [Block] {
        var blocks: [Block] = [.paragraph([.text(outcome.statusLine, outcome.statusClassColor)])]
        for header in outcome.filledHeaders(diagram.variables) {
            let parts = header.split(separator: ":", maxSplits: 1).map { String($0).trimmingCharacters(in: " ") }
            blocks.append(.field(label: parts[0], value: [.text(parts.count > 1 ? parts[1] : "", .code)]))
        }
        blocks.append(.paragraph([.text("Why: ", .strong)] + outcome.why))
        blocks.append(.field(label: "Spec", value: [.text(outcome.specs.joined(separator: "; "), .plain)]))
        for alternative in outcome.alternatives {
            let name = StatusRegistry.lookup(alternative.status)?.reason ?? ""
            blocks.append(.bullet([.text("Or \(alternative.status) \(name): ", .strong)] + alternative.reason))
        }
        return blocks
    }
}

extension Outcome {
    /// The outcome's status in its class colour.
    public var statusClassColor: TextStyle {
        StatusClass(code: status).map { .color($0.color) } ?? .strong
    }
}
