import Foundation
import StatusLabCore
import Testing

@Suite struct CommandTests {
    @Test func codesListsEveryRegisteredCode() throws {
        let result = try run(["codes"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == StatusRegistry.all.count)
        #expect(lines.first == "100 Continue")
        #expect(lines.contains("401 Unauthorized"))
        #expect(lines.contains("413 Content Too Large"))
        #expect(lines.contains("422 Unprocessable Content"))
        #expect(lines.last == "511 Network Authentication Required")
        #expect(!result.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
    }

    @Test func codesFiltersByClassAndRejectsABadOne() throws {
        let result = try run(["codes", "--class", "3xx"])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("3") })
        #expect(result.stdout.contains("308 Permanent Redirect"))
        let bad = try run(["codes", "--class", "9xx"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--class takes 1xx, 2xx, 3xx, 4xx or 5xx"))
    }

    @Test func explainFourOhOneNamesTheRequiredChallengeAndItsSection() throws {
        let result = try run(["explain", "401"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("401 Unauthorized\n"))
        #expect(result.stdout.contains("WWW-Authenticate (required)"))
        #expect(result.stdout.contains("RFC 9110 §15.5.2"))
        #expect(result.stdout.hasSuffix("\nAlso matching: 401 or 403?\n"), "the essay is named, not printed")
    }

    @Test func explainFindsPagesByWords() throws {
        let hide = try run(["explain", "hide"])
        #expect(hide.status == 0)
        #expect(hide.stdout.hasPrefix("404 Not Found\n"))
        let token = try run(["explain", "expired", "token"])
        #expect(token.status == 0)
        #expect(token.stdout.contains("401 Unauthorized"))
    }

    @Test func explainSaysClearlyWhenNothingMatches() throws {
        let code = try run(["explain", "999"])
        #expect(code.status == 1)
        #expect(code.stdout.isEmpty)
        #expect(code.stderr.contains("999 is not a registered HTTP status code"))
        let words = try run(["explain", "xyzzy"])
        #expect(words.status == 1)
        #expect(words.stderr.contains("no page matches “xyzzy”"))
    }

    @Test func versionAndHelp() throws {
        let version = try run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("statuslab "))
        let help = try run(["--help"])
        #expect(help.status == 0)
        for command in ["explain", "codes", "content", "--content <dir>"] {
            #expect(help.stdout.contains(command), "help mentions \(command)")
        }
        let explainHelp = try run(["explain", "--help"])
        #expect(explainHelp.stdout.contains("USAGE: statuslab explain"))
        let checkHelp = try run(["content", "check", "--help"])
        #expect(checkHelp.stdout.contains("file:line: message"))
    }

    @Test func contentCheckPassesOnTheBuiltInAndRepositoryContent() throws {
        let builtIn = try run(["content", "check"])
        #expect(builtIn.status == 0)
        func count(_ folder: String) throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("content/\(folder)").path).count
        }
        let essays = try count("essays")
        #expect(builtIn.stdout.contains("ok — \(try count("codes")) codes, \(try count("headers")) headers, \(try count("schemes")) schemes, "
                                        + "\(essays) essay\(essays == 1 ? "" : "s")"), "\(builtIn)")
        let folder = try run(["content", "check", repositoryRoot.appendingPathComponent("content").path])
        #expect(folder.status == 0, "the repository's content/ is what gets embedded")
    }

    @Test func contentCheckReportsBrokenFixturesWithFileAndLine() throws {
        let folder = try copyOfContent()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("codes/418.md"))
        let page = folder.appendingPathComponent("headers/allow.md")
        var text = try String(contentsOf: page, encoding: .utf8)
        text += "\nSee [[nowhere]] and RFC9110.\n"
        try text.write(to: page, atomically: true, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count

        let result = try run(["content", "check", folder.path])
        #expect(result.status == 1)
        let root = folder.path
        #expect(result.stdout.contains("\(root)/codes/418.md:1: missing: 418 (Unused) is in the IANA registry"))
        #expect(result.stdout.contains("\(root)/headers/allow.md:\(lines - 1): link [[nowhere]] points to no page"))
        #expect(result.stdout.contains("\(root)/headers/allow.md:\(lines - 1): write spec references as `RFC 9110`"))
        #expect(result.stderr.contains("3 problems"))
    }

    @Test func contentOptionReplacesTheBuiltInContent() throws {
        let folder = try copyOfContent()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("codes/418.md")
        let text = try String(contentsOf: page, encoding: .utf8)
        let changed = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasPrefix("summary:") ? "summary: An instructor's own words about the teapot." : String($0)
        }.joined(separator: "\n")
        try changed.write(to: page, atomically: true, encoding: .utf8)
        let result = try run(["explain", "418", "--content", folder.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("An instructor's own words about the teapot."))

        let missing = try run(["codes", "--content", "/nonexistent/pack"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/pack: not a content folder"))
    }

    @Test func brokenContentPackIsRefusedWithItsProblems() throws {
        let folder = try copyOfContent()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("codes/200.md"))
        let result = try run(["codes", "--content", folder.path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("codes/200.md:1: missing: 200 OK"))
    }

    @Test func theInterfaceRefusesWithoutATerminal() throws {
        let result = try run([])
        #expect(result.status == 2)
        #expect(result.stderr.contains("needs a terminal"))
        #expect(result.stderr.contains("statuslab explain"))
    }
}

@Suite struct ThemeOptionTests {
    @Test func anUnknownThemeIsNamedWithTheChoices() throws {
        let result = try run(["quiz", "--theme", "solarized"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--theme: there is no theme `solarized`. Themes: default, high-contrast, light, monochrome"))
    }

    @Test func aBadThemeFileIsRefusedWithItsLineBeforeTheScreen() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("statuslab-\(UUID()).theme")
        try "# mine\nheading = purple, bold\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try run(["lab"], environment: ["STATUSLAB_THEME": file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file.path): line 2: `purple` is not a colour"))
    }

    @Test func aGoodThemeGetsAsFarAsTheTerminal() throws {
        // No terminal here: the interface refuses, which shows the theme itself was accepted.
        let result = try run(["--theme", "light"])
        #expect(result.status == 2)
        #expect(!result.stderr.contains("theme"))
        #expect(result.stderr.contains("terminal"))
    }
}

/// `statuslab content check` on a folder: two diagrams that decide one request differently,
/// and a sentence whose claim the server no longer bears out, are each reported at their line.
@Suite struct ContentCheckCommandTests {
    @Test func aDriftingClaimIsReportedAtItsLine() throws {
        let folder = try copyOfContent()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("exercises/01-ask-who-you-are.exercise")
        let text = try String(contentsOf: file, encoding: .utf8)
        let claim = "claim: GET /api/nothing-here -> 401"
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == claim }) + 1
        try text.replacingOccurrences(of: claim, with: "claim: GET /api/nothing-here -> 404").write(to: file, atomically: true, encoding: .utf8)
        let result = try run(["content", "check", folder.path])
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.contains("\(folder.path)/exercises/01-ask-who-you-are.exercise:\(line): claim `GET /api/nothing-here -> 404`, but the built-in server answers 401 Unauthorized"),
                "\(result)")
        let good = try run(["content", "check", repositoryRoot.appendingPathComponent("content").path])
        #expect(good.status == 0, "\(good)")
        #expect(good.stdout.contains("claims borne out by the server"))
    }

    @Test func twoDiagramsThatDisagreeAreReported() throws {
        let folder = try copyOfContent()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A second author of the auth flowchart's first questions, answering a closed area with 401.
        let copy = """
            title: Copy
            summary: Asks what auth asks, and answers otherwise.
            start: public
            var: realm = demo

            question: public
            fact: resource-public
            ask: Is it public?
            yes: fine
            no: closed

            question: closed
            fact: forbidden-to-everyone
            ask: Is it closed to everyone?
            yes: challenge
            no: fine

            outcome: fine
            status: 200
            label: fine
            why: Let in.
            spec: RFC 9110 §15.3.1
            serves: yes

            outcome: challenge
            status: 401
            label: log in
            why: Log in.
            spec: RFC 9110 §15.5.2
            header: WWW-Authenticate: Basic realm="{realm}"
            """
        try copy.write(to: folder.appendingPathComponent("diagrams/copy.diagram"), atomically: true, encoding: .utf8)
        let result = try run(["content", "check", folder.path])
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.contains("`auth` and `copy` decide one request differently: 403 at `forbidden-for-all` here, 401 at `copy/challenge`"),
                "\(result)")
    }
}

@Suite struct CheatSheetCommandTests {
    @Test func explainCheatsheetPrintsTheOrderOfChecks() throws {
        let result = try run(["explain", "cheatsheet"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("Cheat sheet: who gets in\n"))
        #expect(result.stdout.contains("2. Closed to everyone"))
        #expect(result.stdout.contains("5. Nobody identified"))
    }
}

/// `statuslab judge` as a user runs it: findings and exit 1, a clean file and exit 0, a broken
/// file named with its entry and exit 2.
@Suite struct JudgeCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/traffic")

    @Test func findingsInAFastAPIRecordingExitOne() throws {
        let har = Self.fixtures.appendingPathComponent("fastapi-0.121.har").path
        let result = try run(["judge", har])
        #expect(result.status == 1)
        #expect(result.stdout.contains("entry 1  GET http://127.0.0.1:"), "\(result.stdout.prefix(400))")
        #expect(result.stdout.contains("403 without credentials: expected 401"))
        #expect(result.stdout.contains("decision: auth: public=no > everyone=no > browser=no > credentials-present=no"))
        #expect(result.stdout.contains("read: statuslab explain 401"))
        let json = try run(["judge", "--format", "json", har])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["findings"] as? Int ?? 0) > 0)
        let junit = try run(["judge", "--format", "junit", har])
        #expect(junit.stdout.hasPrefix("<?xml") && junit.stdout.contains("<failure message=\"403 without credentials"))
    }

    @Test func aCutOffFileIsNamedAndExitsTwo() throws {
        let whole = try Data(contentsOf: Self.fixtures.appendingPathComponent("fastapi-current.har"))
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("statuslab-cut-\(UUID().uuidString).har")
        defer { try? FileManager.default.removeItem(at: cut) }
        try whole.prefix(whole.count / 2).write(to: cut)
        let result = try run(["judge", cut.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(cut.path) entry "), "\(result.stderr)")
        #expect(result.stderr.contains("the file ends in the middle of"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}

/// `statuslab check --openapi` as a user runs it.
@Suite struct SpecCommandTests {
    static let spec = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/openapi/builtin.yaml").path

    @Test func aDryRunListsEveryRequestAndItsExpectedAnswerAndSendsNothing() throws {
        let result = try run(["check", "--openapi", Self.spec, "--base", "http://127.0.0.1:1", "--dry-run"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("GET http://127.0.0.1:1/api/admin (none) → 401 (no credentials: challenge)"), "\(result.stdout)")
        #expect(result.stdout.contains("not probed: DELETE /api/notes/{id}: an unsafe method, sent only with --unsafe"))
        #expect(result.stdout.contains("nothing sent"))
    }

    @Test func aSpecThatCannotBeReadExitsTwoWithTheReason() throws {
        let unreachable = try run(["check", "--openapi", "http://127.0.0.1:1/openapi.json"])
        #expect(unreachable.status == 2)
        #expect(unreachable.stderr.contains("connection refused: nothing listens on 127.0.0.1:1"), "\(unreachable.stderr)")
        let swagger = FileManager.default.temporaryDirectory.appendingPathComponent("statuslab-swagger-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: swagger) }
        try "swagger: \"2.0\"\ninfo: { title: x, version: \"1\" }\npaths: {}\n".write(to: swagger, atomically: true, encoding: .utf8)
        let old = try run(["check", "--openapi", swagger.path])
        #expect(old.status == 2)
        #expect(old.stderr.contains("Swagger 2.0"), "\(old.stderr)")
        let neither = try run(["check"])
        #expect(neither.status == 64)
        #expect(neither.stderr.contains("Give a plan, an OpenAPI document (--openapi SPEC), or both."))
    }
}
