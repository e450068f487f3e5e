import Testing
@testable import StatusLabCore

@Suite struct DiagramExportTests {
    @Test(arguments: ["auth", "status", "redirect"])
    func everyQuestionOutcomeAndAnswerIsDrawn(_ id: String) throws {
        let diagram = try #require(builtInLibrary.diagram(id))
        let mermaid = DiagramExport.text(diagram, format: .mermaid)
        let dot = DiagramExport.text(diagram, format: .dot)
        #expect(mermaid.contains("flowchart TD\n"))
        #expect(dot.hasPrefix("digraph \"\(id)\" {") && dot.hasSuffix("}\n"))
        for outcome in diagram.outcomes {
            #expect(mermaid.contains("\(DiagramExport.identifier(outcome.id))([\"\(StatusRegistry.statusText(outcome.status))<br/>"))
            #expect(dot.contains("\"\(outcome.id)\" [shape=box, style=\"rounded,filled\""))
        }
        let edges = diagram.questions.reduce(0) { $0 + $1.answers.count }
        #expect(mermaid.components(separatedBy: " -->|").count - 1 == edges)
        #expect(dot.components(separatedBy: " -> ").count - 1 == edges)
        for question in diagram.questions {
            for answer in question.answers {
                #expect(dot.contains("\"\(question.id)\" -> \"\(answer.target)\" [label="), "\(question.id) → \(answer.target)")
            }
        }
    }

    @Test func labelsCannotBreakOutOfTheirQuotes() {
        #expect(DiagramExport.mermaidText(#"say "no" | or "yes""#) == "say #quot;no#quot; #124; or #quot;yes#quot;")
        #expect(DiagramExport.dotString("a \"b\"\\c\nd") == #""a \"b\"\\c\nd""#)
        #expect(DiagramExport.wrapped("one two three four five six seven eight nine", width: 10) == ["one two", "three four", "five six", "seven", "eight nine"])
    }
}
