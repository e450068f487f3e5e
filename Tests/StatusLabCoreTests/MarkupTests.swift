import Testing
@testable import StatusLabCore

@Suite struct MarkupTests {
    func parse(_ text: String) -> MarkupParser.Result {
        MarkupParser(file: "t.md").parse(lines: text.split(separator: "\n", omittingEmptySubsequences: false), firstLine: 10)
    }

    @Test func blocksAreRecognised() {
        let result = parse("""
            ## Heading
            First line
            continues here.

            - a bullet
              that wraps
            ```
            HTTP/1.1 200 OK
            *not emphasis*
            ```
            """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.document.blocks == [
            .heading("Heading"),
            .paragraph([.text("First line", .plain), .text(" ", .plain), .text("continues here.", .plain)]),
            .bullet([.text("a bullet", .plain), .text(" ", .plain), .text("that wraps", .plain)]),
            .code(["HTTP/1.1 200 OK", "*not emphasis*"]),
        ])
        #expect(result.sections.map(\.title) == ["Heading"])
        #expect(result.sections.map(\.line) == [10])
    }

    @Test func inlineMarkup() {
        let result = parse("Send *WWW-Authenticate* with `Basic`, see [[401]] or [[bearer|tokens]], {red:never} 5*3.")
        #expect(result.document.blocks == [.paragraph([
            .text("Send ", .plain), .text("WWW-Authenticate", .strong), .text(" with ", .plain),
            .text("Basic", .code), .text(", see ", .plain), .link(target: "401", label: "401"),
            .text(" or ", .plain), .link(target: "bearer", label: "tokens"), .text(", ", .plain),
            .text("never", .color(.red)), .text(" 5*3.", .plain),
        ])])
        #expect(result.links == [.init(target: "401", line: 10), .init(target: "bearer", line: 10)])
    }

    @Test func problemsCarryTheirLine() {
        let result = parse("fine\n# Top heading\nan `open code span\nsee [[401|]]")
        #expect(result.diagnostics.map(\.description) == [
            "t.md:11: a heading is written `## Title` (or `### Title`)",
            "t.md:12: a `code` span is opened with a backtick but never closed",
            "t.md:13: a link needs a target and, after |, a label: [[401]] or [[401|the code]]",
        ])
    }

    @Test func pageFieldsAreParsed() throws {
        var diagnostics: [Diagnostic] = []
        let text = """
            title: Unauthorized
            summary: Short.
            spec: RFC 9110 §15.5.2; RFC 6750 §3
            related: 403, bearer
            tags: login, token
            header: WWW-Authenticate | required | a challenge
            bogus: x

            ## What it means
            Body with [[403]].
            """
        let parsed = try #require(PageParser().parse(path: "codes/401.md", text: text, diagnostics: &diagnostics))
        #expect(diagnostics.map(\.description) == ["codes/401.md:7: unknown field `bogus` (known: claim, header, related, spec, summary, tags, title, unused)"])
        #expect(parsed.page.code == 401)
        #expect(parsed.page.specs == ["RFC 9110 §15.5.2", "RFC 6750 §3"])
        #expect(parsed.page.related == ["403", "bearer"])
        #expect(parsed.page.headers == [HeaderNote(name: "WWW-Authenticate", requirement: .required, note: "a challenge", line: 6)])
        #expect(parsed.links == [.init(target: "403", line: 10)])
        #expect(PageParser().parse(path: "elsewhere/x.md", text: text, diagnostics: &diagnostics) == nil)
    }
}
