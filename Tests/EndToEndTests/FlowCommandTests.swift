import Foundation
import Testing

@Suite struct FlowCommandTests {
    @Test func listNamesEveryDiagram() throws {
        let result = try run(["flow", "--list"])
        #expect(result.status == 0)
        let names = result.stdout.split(separator: "\n").map { $0.split(separator: "\t").first.map(String.init) ?? "" }
        #expect(names == ["auth", "redirect", "status", "token"])
    }

    @Test func aPlainWalkEndsWithTheOutcomeLine() throws {
        let result = try run(["flow", "--plain"], input: "n\nn\nn\nn\nn\n")
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(lines.last == "outcome: 401 Unauthorized")
        #expect(result.stdout.contains("   1) yes\n   2) no\n"))
        #expect(result.stdout.contains("HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"statuslab\"\n"))
        #expect(result.stdout.contains("Path:\n   Is this URL in an area anyone may see without logging in? no\n"))
        #expect(result.stderr.isEmpty)
    }

    @Test func choicesAreAnsweredByNumberOrName() throws {
        let byNumber = try run(["flow", "auth", "--plain"], input: "2\n2\n2\n1\n1\n3\n")
        #expect(byNumber.stdout.hasSuffix("outcome: 401 Unauthorized\n"), "\(byNumber)")
        #expect(byNumber.stdout.contains("invalid_token"))
        let byName = try run(["flow", "auth", "--plain"], input: "no\nno\nno\nyes\nyes\nexpired\n")
        #expect(byName.stdout == byNumber.stdout)
    }

    @Test func theSameAnswersGiveTheSameRunEveryTime() throws {
        let first = try run(["flow", "redirect", "--plain"], input: String(repeating: "1\n", count: 12))
        let second = try run(["flow", "redirect", "--plain"], input: String(repeating: "1\n", count: 12))
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.split(separator: "\n").last?.hasPrefix("outcome: ") == true)
    }

    @Test func aDiagramIsWrittenForSlidesAsMermaidOrDot() throws {
        let mermaid = try run(["flow", "redirect", "--format", "mermaid"])
        #expect(mermaid.status == 0, "\(mermaid)")
        #expect(mermaid.stdout.contains("flowchart TD\n"))
        #expect(mermaid.stdout.contains("303 See Other"))
        let dot = try run(["flow", "auth", "--format", "dot"])
        #expect(dot.stdout.hasPrefix("digraph \"auth\" {"))
        let bad = try run(["flow", "--format", "png"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("Please provide one of 'mermaid' and 'dot'"), "\(bad)")
        let both = try run(["flow", "--format", "dot", "--plain"])
        #expect(both.stderr.contains("--format writes the diagram; --plain walks it: choose one."), "\(both)")
    }

    @Test func badAnswersAndEndOfInputAreErrors() throws {
        let bad = try run(["flow", "--plain"], input: "n\nmaybe\n")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("“maybe” is not an answer to question 2; type 1 or 2 (or y/n)."))
        // A typo asks again, as quiz --plain does: the walk goes on with the next line.
        let retyped = try run(["flow", "--plain"], input: "n\nmaybe\nn\nn\nn\nn\n")
        #expect(retyped.status == 0, "\(retyped)")
        #expect(retyped.stdout.hasSuffix("outcome: 401 Unauthorized\n"))
        #expect(retyped.stderr.contains("“maybe” is not an answer to question 2"))
        let ended = try run(["flow", "--plain"], input: "n\n")
        #expect(ended.status == 1)
        #expect(ended.stderr.contains("input ended before an outcome was reached (at question 2, `everyone`)"))
        let unknown = try run(["flow", "nope", "--plain"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("there is no diagram `nope`. Diagrams: auth, redirect, status, token."))
    }
}
