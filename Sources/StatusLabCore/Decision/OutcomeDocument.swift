/// An outcome as a learner reads it: the status line and headers as on the wire, why, the spec,
/// the alternatives. The flowchart panel and `flow --plain` both show this.
public enum OutcomeDocument {
    /// `sent`: the header fields a server really sent with this outcome (the Lab's exchange),
    /// shown in place of the diagram's example values, so that a Basic request is not shown a
    /// Bearer challenge it never got.
    public static func blocks(_ outcome: Outcome, in diagram: Diagram, sent: [(name: String, value: String)]? = nil) -> [Block] {
        var blocks: [Block] = [.paragraph([.text(outcome.statusLine, outcome.statusClassColor)])]
        // An outcome reached through a handoff is filled from its own diagram's defaults.
        var fields = outcome.filledFields(diagram.part(outcome.diagram).variables)
        if let sent {
            blocks.append(.paragraph([.text("As this server sent it:", .dim)]))
            fields = outcome.headers.compactMap { template in
                sent.first { $0.name.lowercased() == template.name.lowercased() }
                    .map { HeaderField(name: template.name, value: $0.value, required: template.required) }
            }
        }
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
