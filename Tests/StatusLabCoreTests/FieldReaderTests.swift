import Testing
@testable import StatusLabCore

/// The one reader of `key: value` blocks that pages, diagrams, quizzes and exercises share.
@Suite struct FieldReaderTests {
    let text = """
        # a comment line
        question: who
        Fact: caller
        help: a first line
          and its continuation
        no colon here

        # between blocks

        outcome: done
        spec: RFC 9110 §15.5.2;  ; RFC 6750 §3
        """

    @Test func blocksAreSplitByBlankLinesWithCommentsAndContinuations() {
        let blocks = FieldReader.blocks(text)
        #expect(blocks.count == 2)
        #expect(blocks[0].map(\.key) == ["question", "fact", "help", ""])
        #expect(blocks[0].map(\.line) == [2, 3, 4, 6])
        #expect(blocks[0].one("help")?.value == "a first line and its continuation")
        #expect(blocks[0].one("")?.value == "no colon here", "a line without a colon is kept for the parser to name")
        #expect(blocks[1].one("spec")?.list(";") == ["RFC 9110 §15.5.2", "RFC 6750 §3"])
        #expect(blocks[1].all("outcome").map(\.line) == [10])
    }

    @Test func aPageHeaderEndsAtTheFirstBlankLineAndReadsNoFurther() {
        let page = "title: Unauthorized\nsummary: Short.\n\n## What it means\ntitle: not a field\n"
        let (fields, body, bodyLine) = FieldReader.header(page)
        #expect(fields.map(\.key) == ["title", "summary"])
        #expect(body == "## What it means\ntitle: not a field\n")
        #expect(bodyLine == 4)
        let noBody = FieldReader.header("title: Only\nsummary: fields")
        #expect(noBody.fields.count == 2 && noBody.body.isEmpty && noBody.bodyLine == 3)
    }
}
