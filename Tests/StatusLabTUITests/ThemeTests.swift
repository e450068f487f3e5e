import StatusLabContent
import StatusLabCore
import Testing
@testable import StatusLabTUI

@Suite struct ThemeTests {
    static func builtIn(_ name: String) throws -> Theme.Palette {
        let file = try #require(EmbeddedThemes.files.first { $0.name == name }, "no built-in theme \(name)")
        return try ThemeFile.parse(file.text)
    }

    @Test func everyShippedThemeIsComplete() throws {
        #expect(Set(EmbeddedThemes.files.map(\.name)) == ["default", "light", "high-contrast", "monochrome"])
        for file in EmbeddedThemes.files {
            let palette = try ThemeFile.parse(file.text)
            #expect(palette.roles.count == Theme.Role.allCases.count, "\(file.name)")
            #expect(palette.statuses.keys.sorted() == StatusClass.allCases.map(\.rawValue), "\(file.name)")
        }
    }

    @Test func defaultThemeFileIsTheBuiltInColours() throws {
        let fromFile = Theme(color: true, unicode: true, palette: try Self.builtIn("default"))
        for role in Theme.Role.allCases {
            #expect(fromFile.style(role) == Theme.test.style(role), "\(role)")
        }
        for statusClass in StatusClass.allCases {
            #expect(fromFile.style(statusClass) == Theme.test.style(statusClass), "\(statusClass)")
        }
    }

    @Test func monochromeUsesNoColour() throws {
        let palette = try Self.builtIn("monochrome")
        for style in Array(palette.roles.values) + Array(palette.statuses.values) {
            #expect(style.foreground == .default && style.background == .default)
        }
        // Selection must still stand out without colour.
        #expect(palette.roles[.selection]?.attributes.contains(.reverse) == true)
    }

    @Test func aThemeColoursTheScreen() throws {
        let light = try Self.builtIn("light")
        let driver = Driver(theme: Theme(color: true, unicode: true, palette: light))
        let corner = driver.screen[0, 0].style
        #expect(corner.foreground == light.roles[.titleBar]?.foreground && corner.background == light.roles[.titleBar]?.background)
        #expect(light.roles[.titleBar] != Theme.test.style(.titleBar))
        // NO_COLOR still wins over a theme's colours.
        let plain = Driver(theme: Theme(color: false, unicode: true, palette: light))
        #expect(plain.screen[0, 0].style.foreground == .default)
    }

    @Test func badFilesSayWhichLineAndWhy() {
        func problem(_ text: String) -> String {
            do { _ = try ThemeFile.parse(text); return "parsed" } catch { return error.description }
        }
        #expect(problem("# a comment\ntitle-bar = purple") == "line 2: `purple` is not a colour (default, black … white, bright-black … bright-white)")
        #expect(problem("titel-bar = red").hasPrefix("line 1: unknown role `titel-bar`"))
        #expect(problem("heading = red, blinking").hasPrefix("line 1: `blinking` is not an attribute"))
        #expect(problem("heading = red on").hasPrefix("line 1: a colour is `name` or `name on background`"))
        #expect(problem("heading red") == "line 1: a line is `role = colour [on background][, bold]`")
        #expect(problem("heading = red").contains("the theme does not give code, emphasis, error"))
    }
}
