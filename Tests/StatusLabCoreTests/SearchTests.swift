import Testing
@testable import StatusLabCore

@Suite struct SearchTests {
    let library = builtInLibrary

    func ids(_ query: String) -> [String] { library.search(query).map(\.page.id) }

    @Test func aNumberFindsThatCodeFirstThenThePagesNamedAfterIt() {
        // ux-walk-1 M3: `/401` and `/403` did not find the essay "401 or 403?".
        #expect(ids("401") == ["401", "401-or-403"])
        #expect(ids("403") == ["403", "401-or-403"])
        #expect(ids("404") == ["404"])
        #expect(ids("999") == [])
    }

    @Test func aPrefixOrClassFindsItsCodes() {
        #expect(ids("40") == ["400", "401", "402", "403", "404", "405", "406", "407", "408", "409"])
        #expect(ids("4xx") == library.codePages.filter { $0.id.hasPrefix("4") }.map(\.id))
    }

    @Test func aNameFindsItsPageFirst() {
        #expect(ids("forbidden").first == "403")
        #expect(ids("forbid").first == "403")
        #expect(ids("www-authenticate").first == "www-authenticate")
        #expect(ids("Not Found").first == "404")
    }

    @Test func everydayWordsFindTheRightPages() {
        #expect(ids("hide").first == "404")
        #expect(ids("login").prefix(5).contains("401"))
        #expect(ids("token").first == "bearer")
        #expect(ids("expired token").prefix(5).contains("401"))
        #expect(ids("rate limit").first == "429")
    }

    @Test func nonsenseFindsNothing() {
        #expect(ids("xyzzy plugh").isEmpty)
    }

    @Test func emptyQueryListsEverythingInReadingOrder() {
        #expect(ids("") == library.pages.map(\.id))
        #expect(library.pages.first?.id == "100")
        #expect(library.pages.last?.kind == .essay)
    }
}
