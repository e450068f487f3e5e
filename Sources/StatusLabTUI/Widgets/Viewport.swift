/// Scroll position of something taller than its window. The widget state lives apart from
/// what is drawn, so a screen keeps it across frames and resizes.
public struct ScrollState: Sendable, Equatable {
    public var offset = 0

    public init() {}

    public mutating func scroll(by delta: Int, contentHeight: Int, viewHeight: Int) {
        offset = Self.clamp(offset + delta, contentHeight: contentHeight, viewHeight: viewHeight)
    }

    public mutating func clamp(contentHeight: Int, viewHeight: Int) {
        offset = Self.clamp(offset, contentHeight: contentHeight, viewHeight: viewHeight)
    }

    /// Scrolls the least needed to show `line`.
    public mutating func reveal(line: Int, contentHeight: Int, viewHeight: Int) {
        if line < offset { offset = line }
        if line >= offset + viewHeight { offset = line - viewHeight + 1 }
        clamp(contentHeight: contentHeight, viewHeight: viewHeight)
    }

    static func clamp(_ value: Int, contentHeight: Int, viewHeight: Int) -> Int {
        min(max(value, 0), max(contentHeight - viewHeight, 0))
    }
}

public enum ScrollIndicator {
    /// A one-column bar at the right of `area` showing where the view is, when it does not fit.
    public static func draw(into buffer: inout ScreenBuffer, area: Rect, offset: Int, contentHeight: Int, theme: Theme) {
        guard contentHeight > area.height, area.height > 0, area.width > 0 else { return }
        let x = area.maxX - 1
        let thumb = max(1, area.height * area.height / contentHeight)
        let maxOffset = contentHeight - area.height
        let top = (area.height - thumb) * offset / max(maxOffset, 1)
        let track = theme.box.vertical
        let bar = theme.box.unicode ? "█" : "#"
        for row in 0..<area.height {
            let inThumb = row >= top && row < top + thumb
            buffer.write(inThumb ? bar : track, x: x, y: area.y + row, style: theme.style(inThumb ? .frameFocused : .frame))
        }
    }
}

extension BoxChars {
    var unicode: Bool { self == .unicode }
}
