import StatusLabCore

/// Frames, bars and overlays shared by every screen.
public enum Chrome {
    /// A box around `area` with an optional title in its top edge; returns the inside.
    @discardableResult
    public static func frame(into buffer: inout ScreenBuffer, area: Rect, title: String?, focused: Bool, theme: Theme) -> Rect {
        guard area.width >= 2, area.height >= 2 else { return Rect(x: area.x, y: area.y, width: 0, height: 0) }
        let style = theme.style(focused ? .frameFocused : .frame)
        let box = theme.box
        let horizontal = String(repeating: box.horizontal, count: area.width - 2)
        buffer.write(box.topLeft + horizontal + box.topRight, x: area.x, y: area.y, style: style)
        buffer.write(box.bottomLeft + horizontal + box.bottomRight, x: area.x, y: area.maxY - 1, style: style)
        for y in (area.y + 1)..<(area.maxY - 1) {
            buffer.write(box.vertical, x: area.x, y: y, style: style)
            buffer.write(box.vertical, x: area.maxX - 1, y: y, style: style)
        }
        if let title, area.width > 6 {
            let clip = Rect(x: area.x + 2, y: area.y, width: area.width - 4, height: 1)
            buffer.write(" \(title) ", x: area.x + 2, y: area.y, style: theme.style(focused ? .frameFocused : .heading), clip: clip)
        }
        return area.inset(by: 1)
    }

    /// The one-line key help at the bottom: "↑↓ move  Enter open  / filter …", cut to fit;
    /// the `?` entry, which leads to all the others, is kept at the right end.
    public static func helpBar(into buffer: inout ScreenBuffer, area: Rect, keys: [KeyHelp], theme: Theme) {
        buffer.fill(area, style: theme.style(.helpBar))
        var area = area
        let isHelp = { (key: KeyHelp) in key.key == .char("?") }
        if let help = keys.first(where: { isHelp($0) && $0.inBar }) {
            let text = "\(help.label) \(help.help) "
            let x = area.maxX - DisplayWidth.of(text)
            let after = buffer.write(help.label, x: x, y: area.y, style: theme.style(.helpKey), clip: area)
            let end = buffer.write(" " + help.help + " ", x: after, y: area.y, style: theme.style(.helpBar), clip: area)
            if let key = help.key { buffer.addClickTarget(Rect(x: x, y: area.y, width: end - x, height: 1), .key(key)) }
            area = area.inset(right: DisplayWidth.of(text) + 1)
        }
        var x = area.x + 1
        for key in keys where key.inBar && !isHelp(key) {
            let width = DisplayWidth.of(key.label) + 1 + DisplayWidth.of(key.help) + 2
            if x + width > area.maxX { break }
            let start = x
            x = buffer.write(key.label, x: x, y: area.y, style: theme.style(.helpKey), clip: area)
            x = buffer.write(" " + key.help + "  ", x: x, y: area.y, style: theme.style(.helpBar), clip: area)
            // A click on an entry types its key.
            if let typed = key.key { buffer.addClickTarget(Rect(x: start, y: area.y, width: x - start - 1, height: 1), .key(typed)) }
        }
    }

    /// A centred modal box with a title and lines of text over whatever is drawn below.
    /// `contentWidth`: at least this wide, whatever `lines` holds (a box that scrolls keeps its size).
    public static func modal(into buffer: inout ScreenBuffer, title: String, lines: [[TextLine.Run]], footer: String,
                             contentWidth minimum: Int = 0, theme: Theme) {
        let contentWidth = max(lines.map { $0.reduce(0) { $0 + DisplayWidth.of($1.text) } }.max() ?? 0, minimum)
        let width = min(max(contentWidth, DisplayWidth.of(title) + 4, DisplayWidth.of(footer)) + 4, buffer.size.width - 2)
        let height = min(lines.count + 4, buffer.size.height - 2)
        let area = buffer.area.centered(Size(width: width, height: height))
        buffer.fill(area)
        let inside = frame(into: &buffer, area: area, title: title, focused: true, theme: theme).inset(left: 1, right: 1)
        for (row, runs) in lines.prefix(max(inside.height - 1, 0)).enumerated() {
            var x = inside.x
            for run in runs { x = buffer.write(run.text, x: x, y: inside.y + row, style: run.style, clip: inside) }
        }
        buffer.write(footer, x: inside.x, y: inside.maxY - 1, style: theme.style(.muted), clip: inside)
    }
}
