import Testing
@testable import StatusLabCore

@Suite struct ContentCheckTests {
    @Test func builtInContentPassesWithEveryRegisteredCode() {
        let report = ContentValidator().check(builtInFiles)
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics.map(\.description).joined(separator: "\n"))")
        let library = try! #require(report.library)
        #expect(library.codePages.map(\.code) == StatusRegistry.all.map(\.code))
        for entry in StatusRegistry.all {
            #expect(library.page(code: entry.code)?.title == entry.reason)
        }
        for id in ["www-authenticate", "authorization", "proxy-authenticate", "proxy-authorization", "location",
                   "set-cookie", "basic", "bearer", "digest", "problem-details", "401-or-403"] {
            #expect(library.page(id) != nil, "missing page \(id)")
        }
        #expect(report.counts.hasPrefix("\(StatusRegistry.all.count) codes,"))
    }

    /// The program trusts the built-in content (the test above checks it) and only parses it:
    /// the library must be the same as a fully checked one, and a check problem goes unseen
    /// only in trusted mode.
    @Test func trustedLoadingParsesOnDemandTheSameLibraryWithoutTheChecks() throws {
        let checked = try ContentLibrary.load(builtInFiles)
        let trusted = try ContentLibrary.load(builtInFiles, trusted: true)
        #expect(trusted.pages.map(\.displayTitle) == checked.pages.map(\.displayTitle))
        #expect(trusted.pages.map(\.body) == checked.pages.map(\.body))
        #expect(trusted.pages.map(\.summary) == checked.pages.map(\.summary))
        #expect(trusted.search("login token").map(\.page.id) == checked.search("login token").map(\.page.id))
        #expect(trusted.diagrams.map(\.id) == checked.diagrams.map(\.id))
        #expect(trusted.diagrams.map { $0.outcomes.map(\.why) } == checked.diagrams.map { $0.outcomes.map(\.why) })
        #expect(trusted.questions.map(\.id) == checked.questions.map(\.id))
        #expect(trusted.questions.map(\.scenario) == checked.questions.map(\.scenario))
        #expect(trusted.questions.map(\.modelStatus) == checked.questions.map(\.modelStatus))
        #expect(trusted.exercises.map(\.id) == checked.exercises.map(\.id))
        #expect(trusted.exercises.map(\.explanation) == checked.exercises.map(\.explanation))
        let missing401 = builtInFiles.filter { $0.path != "codes/401.md" }
        #expect(throws: ContentCheckFailure.self) { try ContentLibrary.load(missing401) }
        #expect(try ContentLibrary.load(missing401, trusted: true).page(code: 401) == nil)
    }

    @Test func requiredHeadersAreMarkedOnTheirCodes() throws {
        let library = builtInLibrary
        for (code, header) in [(401, "WWW-Authenticate"), (405, "Allow"), (407, "Proxy-Authenticate"), (301, "Location")] {
            let page = try #require(library.page(code: code))
            #expect(page.headers.contains { $0.name == header && $0.requirement == .required }, "\(code) \(header)")
        }
        let retryAfter = try #require(library.page(code: 429)?.headers.first { $0.name == "Retry-After" })
        #expect(retryAfter.requirement == .optional)
        #expect(library.page(code: 306)?.unused == true)
        #expect(library.page(code: 418)?.unused == true)
    }

    @Test func missingCodePageIsReported() {
        let report = ContentValidator().check(contentWith("codes/404.md") { _ in nil })
        #expect(report.diagnostics.map(\.description).contains { $0.hasPrefix("codes/404.md:1: missing: 404 Not Found") })
    }

    @Test func brokenLinkIsReportedAtItsLine() throws {
        let original = try #require(builtInFiles.first { $0.path == "codes/401.md" }).text
        let anchor = "## When to use it"
        let files = contentWith("codes/401.md") { $0.replacingOccurrences(of: anchor, with: "See [[499]].\n\n" + anchor) }
        let line = try #require(lineNumber(of: anchor, in: original))
        let report = ContentValidator().check(files)
        #expect(report.diagnostics.map(\.description) == ["codes/401.md:\(line): link [[499]] points to no page"])
    }

    @Test func relatedPageThatDoesNotExistIsReported() throws {
        let files = contentWith("codes/403.md") { $0.replacingOccurrences(of: "related: ", with: "related: nowhere, ") }
        let report = ContentValidator().check(files)
        let text = try #require(files.first { $0.path == "codes/403.md" }?.text)
        let line = try #require(lineNumber(of: "related:", in: text))
        #expect(report.diagnostics.map(\.description) == ["codes/403.md:\(line): related page `nowhere` does not exist"])
    }

    @Test func malformedSpecReferencesAreReported() throws {
        let files = contentWith("codes/404.md") { text in
            text.replacingOccurrences(of: "spec: RFC 9110 §15.5.5", with: "spec: RFC9110 15.5.5")
                + "\nAs RFC9110 puts it, and see Section 3 of RFC 6750.\n"
        }
        let messages = ContentValidator().check(files).diagnostics.map(\.description)
        #expect(messages.contains { $0.hasPrefix("codes/404.md:") && $0.contains("spec reference `RFC9110 15.5.5` is not of the form") })
        #expect(messages.contains { $0.contains("must include the registry's reference for 404") })
        #expect(messages.contains { $0.contains("write spec references as `RFC 9110` (with a space)") })
        #expect(messages.contains { $0.contains("not with the word section") })
    }

    @Test func missingRequiredFieldsAndSectionsAreReported() {
        let files = contentWith("headers/location.md") { text in
            text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("summary:") }
                .joined(separator: "\n")
                .replacingOccurrences(of: "## Example", with: "## Sample")
        }
        let messages = ContentValidator().check(files).diagnostics.map(\.description)
        #expect(messages.contains("headers/location.md:1: required field `summary` is missing or empty"))
        #expect(messages.contains { $0.hasPrefix("headers/location.md:") && $0.hasSuffix("required section `## Example` is missing") })
    }

    @Test func aPageWithFieldsOnlyIsMissingItsSectionsAtItsFirstLine() {
        let files = contentWith("essays/401-or-403.md") { text in
            text.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.isEmpty }.joined(separator: "\n") + "\n"
        }
        let messages = ContentValidator().check(files).diagnostics.map(\.description)
        #expect(messages.isEmpty, "an essay needs no sections: \(messages)")
        let header = contentWith("headers/location.md") { text in
            text.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.isEmpty }.joined(separator: "\n") + "\n"
        }
        let missing = ContentValidator().check(header).diagnostics.map(\.description)
        #expect(missing.contains("headers/location.md:1: required section `## What it is` is missing"), "\(missing)")
    }

    @Test func wrongNameAndMissingChallengeAreReported() throws {
        let files = contentWith("codes/401.md") { text in
            text.replacingOccurrences(of: "title: Unauthorized", with: "title: Unauthenticated")
                .split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("header: WWW-Authenticate") && !$0.hasPrefix("WWW-Authenticate:") }
                .joined(separator: "\n")
        }
        let messages = ContentValidator().check(files).diagnostics.map(\.description)
        #expect(messages.contains { $0.contains("title is `Unauthenticated`; the registry names 401 `Unauthorized`") })
        #expect(messages.contains { $0.contains("401 requires WWW-Authenticate (RFC 9110 §15.5.2)") })
        #expect(messages.contains { $0.contains("example 401 response lacks its required WWW-Authenticate header") })
    }

    @Test func unregisteredCodeAndUnclosedFenceAreReported() {
        var files = builtInFiles
        files.append(ContentFile(path: "codes/299.md", text: "title: Fine\nsummary: s\nspec: RFC 9110\nrelated: 200\n\n```\nopen\n"))
        let messages = ContentValidator().check(files).diagnostics.map(\.description)
        #expect(messages.contains("codes/299.md:1: `299` is not a code in the IANA HTTP Status Code Registry"))
        #expect(messages.contains("codes/299.md:6: a fenced block is opened with ``` but never closed"))
    }

    @Test func loadRefusesBrokenContent() {
        #expect(throws: ContentCheckFailure.self) { try ContentLibrary.load(contentWith("codes/200.md") { _ in nil }) }
    }
}

import Foundation
