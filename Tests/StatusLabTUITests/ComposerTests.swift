import StatusLabCore
import Testing
@testable import StatusLabTUI

/// The Lab's composer on its own, without a server: its keys change the request it holds, and
/// what cannot be taken comes back as a sentence.
@Suite struct ComposerTests {
    static let presets = [LabPreset(key: "1", label: "Basic as alice", credentials: .basic(user: "alice", password: "wonderland"))]

    func composer() -> Composer {
        Composer(request: LabRequest(url: "/api/profile"), presets: Self.presets, routes: ["/api/notes", "/api/notes/{id}", "/api/profile"])
    }

    static func type(_ text: String, into composer: inout Composer) {
        for character in text { _ = composer.handle(.char(character)) }
    }

    @Test func aHeaderIsAddedEditedAndPutBackWhenTheEditIsCancelled() {
        var composer = composer()
        #expect(composer.perform(.editHeader) == "No header to edit: + adds one.")
        _ = composer.perform(.addHeader)
        #expect(composer.capturesKeys)
        Self.type("no colon", into: &composer)
        #expect(composer.handle(.enter) == "A header line is `Name: value`.")
        #expect(composer.capturesKeys, "the line stays open to be put right")
        _ = composer.handle(.escape)
        _ = composer.perform(.addHeader)
        Self.type("Accept: text/plain", into: &composer)
        #expect(composer.handle(.enter) == nil)
        #expect(composer.request.headers == [LabRequest.Header(name: "Accept", value: "text/plain")])
        // `=` takes the last line out to edit; Esc puts it back as it was.
        _ = composer.perform(.editHeader)
        #expect(composer.request.headers.isEmpty)
        _ = composer.handle(.ctrl("u"))
        _ = composer.handle(.escape)
        #expect(composer.request.headers == [LabRequest.Header(name: "Accept", value: "text/plain")])
        #expect(!composer.capturesKeys)
    }

    @Test func tabCompletesAPathAndFillsItsParameters() {
        var composer = composer()
        _ = composer.perform(.editURL)
        _ = composer.handle(.ctrl("u"))
        Self.type("/api/n", into: &composer)
        _ = composer.handle(.tab)
        #expect(composer.completions == ["/api/notes", "/api/notes/{id}"], "two routes: their common prefix, both offered")
        Self.type("/", into: &composer)
        _ = composer.handle(.tab)
        _ = composer.handle(.enter)
        #expect(composer.request.url == "/api/notes/1", "one route left: its {id} filled from the demo world")
    }

    @Test func aTypedMethodReplacesTheOneThereAndNothingTypedKeepsIt() {
        var composer = composer()
        _ = composer.perform(.typeMethod)
        _ = composer.handle(.enter)
        #expect(composer.request.method == "GET")
        _ = composer.perform(.typeMethod)
        for character in "GET PUT" { _ = composer.handle(.char(character)) }
        #expect(composer.handle(.enter)?.hasPrefix("`GET PUT` is not a method") == true)
        _ = composer.handle(.escape)
        _ = composer.perform(.typeMethod)
        for character in "purge" { _ = composer.handle(.char(character)) }
        _ = composer.handle(.enter)
        #expect(composer.request.method == "PURGE")
    }

    @Test func thePickerSetsCredentialsAndPoliciesToggle() {
        var composer = composer()
        _ = composer.perform(.pickCredentials)
        #expect(composer.capturesKeys && composer.capturedKeyHelp.map(\.label) == ["Esc"])
        _ = composer.handle(.char("1"))
        #expect(!composer.capturesKeys)
        #expect(composer.request.credentials == .basic(user: "alice", password: "wonderland"))
        _ = composer.perform(.togglePolicy(.hide, "on"))
        _ = composer.perform(.togglePolicy(.login, "401"))
        #expect(composer.request.policies == ["hide=on", "login=401"])
        _ = composer.perform(.togglePolicy(.hide, "on"))
        #expect(composer.request.policies == ["login=401"])
    }
}
