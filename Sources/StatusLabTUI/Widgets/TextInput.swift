/// A one-line text field: insert, delete, move, clear. Keys it does not use are returned.
public struct TextInput: Sendable, Equatable {
    public private(set) var text = ""
    /// Cursor position in characters.
    public private(set) var cursor = 0

    public init(text: String = "") {
        self.text = text
        self.cursor = text.count
    }

    /// Applies `key`; returns false when the key is not an editing key.
    public mutating func handle(_ key: Key) -> Bool {
        var characters = Array(text)
        switch key {
        case .char(let c) where !c.isNewline:
            characters.insert(c, at: cursor)
            cursor += 1
        case .backspace, .ctrl("h"):
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .ctrl("d"):
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
        case .left, .ctrl("b"): cursor = max(cursor - 1, 0)
        case .right, .ctrl("f"): cursor = min(cursor + 1, characters.count)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = characters.count
        case .ctrl("u"):
            characters.removeFirst(cursor)
            cursor = 0
        case .ctrl("w"):
            var start = cursor
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        default:
            return false
        }
        text = String(characters)
        return true
    }

    public mutating func clear() {
        text = ""
        cursor = 0
    }

    /// Draws `prompt` and the text in one row, the cursor as a reversed cell, scrolled so the
    /// cursor stays visible.
    public func draw(into buffer: inout ScreenBuffer, area: Rect, prompt: String, focused: Bool, theme: Theme) {
        guard !area.isEmpty else { return }
        let style = theme.style(.input)
        buffer.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), style: style)
        var x = buffer.write(prompt, x: area.x, y: area.y, style: style.adding(.bold), clip: area)
        let characters = Array(text)
        let room = max(area.maxX - x - 1, 1)
        let start = max(0, cursor - room + 1)
        for (i, c) in characters.enumerated() where i >= start {
            let cellStyle = focused && i == cursor ? style.adding(.reverse) : style
            x = buffer.write(String(c), x: x, y: area.y, style: cellStyle, clip: area)
        }
        if focused, cursor == characters.count {
            buffer.write(" ", x: x, y: area.y, style: style.adding(.reverse), clip: area)
        }
    }
}
