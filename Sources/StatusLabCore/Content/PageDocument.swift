/// A page laid out for reading: summary, spec, the headers that go with a code, the body and
/// the related pages. The TUI's detail view and `statuslab explain` both show this.
public enum PageDocument {
    public static func document(for page: Page, in library: ContentLibrary) -> Document {
        var blocks: [Block] = [.paragraph([.text(page.summary, .strong)])]
        if let statusClass = page.statusClass {
            blocks.append(.field(label: "Class", value: [.text("\(statusClass.label) \(statusClass.name)", .plain)]))
        }
        blocks.append(.field(label: "Spec", value: [.text(page.specs.joined(separator: "; "), .plain)]))
        if page.unused {
            blocks.append(.field(label: "Status", value: [.text("registered but unused: never send it", .color(.red))]))
        }
        if !page.headers.isEmpty {
            blocks.append(.heading("Headers"))
            for header in page.headers {
                let marker: TextStyle = header.requirement == .required ? .color(.red) : .dim
                var inlines: [Inline] = [.text(header.name, .code), .text(" ", .plain),
                                         .text("(\(header.requirement.rawValue))", marker)]
                if !header.note.isEmpty {
                    // The note is markup like the body: `code` shows as code, not as backticks.
                    var parsed = MarkupParser.Result()
                    inlines.append(.text(" — ", .plain))
                    inlines += MarkupParser(file: page.path).parseInline(Substring(header.note), line: header.line, into: &parsed)
                }
                blocks.append(.bullet(inlines))
            }
        }
        blocks.append(contentsOf: page.body.blocks)
        if let code = page.code {
            let leading = library.outcomes(leadingTo: code)
            if !leading.isEmpty {
                blocks.append(.heading("Decisions that lead here"))
                for (diagram, outcome) in leading {
                    blocks.append(.bullet([.link(target: DiagramLink.target(diagram: diagram.id, outcome: outcome.id),
                                                 label: "\(diagram.id): \(outcome.label)"),
                                           .text(" — statuslab flow \(diagram.id)", .dim)]))
                }
            }
        }
        let related = page.related.compactMap { library.page($0) }
        if !related.isEmpty {
            blocks.append(.heading("Related"))
            var inlines: [Inline] = []
            for (offset, other) in related.enumerated() {
                if offset > 0 { inlines.append(.text(" · ", .dim)) }
                inlines.append(.link(target: other.id, label: other.displayTitle))
            }
            blocks.append(.paragraph(inlines))
        }
        return Document(blocks: blocks)
    }
}
