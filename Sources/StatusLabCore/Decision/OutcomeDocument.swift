/// An outcome as a learner reads it: the status line and headers as on the wire, why, the spec,
/// the alternatives. The flowchart panel and `flow --plain` both show this.
public enum OutcomeDocument {
    public static func blocks(_ outcome: Outcome, in diagram: Diagram) -> [Block] {
        var blocks: [Block] = [.paragraph([.text(outcome.statusLine, outcome.statusClassColor)])]
        // An outcome reached through a handoff is filled from its own diagram's defaults.
        let owner = diagram.withHandoffs.first { $0.id == outcome.diagram } ?? diagram
        let fields = outcome.filledFields(owner.variables)
        for field in fields where field.required {
            blocks.append(.field(label: field.name, value: [.text(field.value, .code)]))
        }
        // Headers the response may carry are kept apart from those it must carry.
        let optional = fields.filter { !$0.required }
        if !optional.isEmpty {
            blocks.append(.paragraph([.text("May also carry:", .strong)]))
            for field in optional { blocks.append(.field(label: field.name, value: [.text(field.value, .code)])) }
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
