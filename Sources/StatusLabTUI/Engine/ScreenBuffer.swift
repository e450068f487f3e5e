import StatusLabCore

/// One terminal cell: a grapheme and its style. A wide character occupies its cell and the
/// next, which holds an empty continuation (width 0).
public struct Cell: Sendable, Equatable {
    public var symbol: String
    public var width: Int
    public var style: Style

    public init(_ symbol: String = " ", width: Int = 1, style: Style = .plain) {
        self.symbol = symbol
        self.width = width
        self.style = style
    }

    public static let blank = Cell()
    static func continuation(_ style: Style) -> Cell { Cell("", width: 0, style: style) }
    public var isContinuation: Bool { width == 0 }
}

public struct CellChange: Sendable, Equatable {
    public let x: Int
    public let y: Int
    public let cell: Cell
}

/// The screen as a value: everything the user sees is drawn here first. Only a backend copies
/// it to a terminal; tests read it as text.
public struct ScreenBuffer: Sendable, Equatable {
    public let size: Size
    public private(set) var cells: [Cell]

    /// Where a click does something, in drawing order (what is drawn later is on top).
    public private(set) var clickTargets: [(area: Rect, action: ClickAction)] = []

    public static func == (lhs: ScreenBuffer, rhs: ScreenBuffer) -> Bool {
        lhs.size == rhs.size && lhs.cells == rhs.cells
    }

    /// Makes `area` clickable (within the buffer).
    public mutating func addClickTarget(_ area: Rect, _ action: ClickAction) {
        let visible = area.clamped(to: self.area)
        if !visible.isEmpty { clickTargets.append((visible, action)) }
    }

    /// What a click at a cell does: the target drawn last there.
    public func clickAction(x: Int, y: Int) -> ClickAction? {
        clickTargets.last { $0.area.contains(x: x, y: y) }?.action
    }

    public init(size: Size) {
        self.size = size
        self.cells = Array(repeating: .blank, count: max(size.width, 0) * max(size.height, 0))
    }

    public var area: Rect { Rect(x: 0, y: 0, width: size.width, height: size.height) }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * size.width + x]
    }

    /// Writes `text` from (x, y), clipped to `clip` (the whole screen by default). Returns the
    /// column after the last cell written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        let bounds = clip ?? area
        guard y >= bounds.y, y < bounds.maxY, y >= 0, y < size.height else { return x }
        var column = x
        for character in text {
            let w = DisplayWidth.of(character)
            if w == 0 {
                // A lone combining mark or control: attach nothing, draw nothing.
                continue
            }
            if column + w > bounds.maxX { break }
            if column >= bounds.x {
                set(x: column, y: y, Cell(String(character), width: w, style: style))
            } else if column + w > bounds.x {
                set(x: bounds.x, y: y, Cell(" ", style: style))
            }
            column += w
        }
        return column
    }

    /// Writes styled runs on one line; returns the column after them.
    @discardableResult
    public mutating func write(_ runs: [(String, Style)], x: Int, y: Int, clip: Rect? = nil) -> Int {
        var column = x
        for (text, style) in runs { column = write(text, x: column, y: y, style: style, clip: clip) }
        return column
    }

    public mutating func fill(_ rect: Rect, with symbol: String = " ", style: Style = .plain) {
        let r = rect.clamped(to: area)
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { set(x: x, y: y, Cell(symbol, style: style)) }
        }
    }

    /// Applies `style` over a rectangle, keeping the characters (selection highlight).
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        let r = rect.clamped(to: area)
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * size.width + x].style = transform(cells[y * size.width + x].style) }
        }
    }

    mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
        let index = y * size.width + x
        // Overwriting half of a wide character blanks its other half.
        if cells[index].isContinuation, x > 0, cells[index - 1].width == 2 {
            cells[index - 1] = Cell(" ", style: cells[index - 1].style)
        }
        if cells[index].width == 2, x + 1 < size.width, cell.width != 2 {
            cells[index + 1] = Cell(" ", style: cells[index + 1].style)
        }
        if cell.width == 2 {
            guard x + 1 < size.width else {
                cells[index] = Cell(" ", style: cell.style)
                return
            }
            if cells[index + 1].width == 2, x + 2 < size.width {
                cells[index + 2] = Cell(" ", style: cells[index + 2].style)
            }
            cells[index + 1] = .continuation(cell.style)
        }
        cells[index] = cell
    }

    /// The cells that differ from `previous`, in reading order; everything when sizes differ.
    public func changes(since previous: ScreenBuffer?) -> [CellChange] {
        var result: [CellChange] = []
        let full = previous?.size != size
        for y in 0..<size.height {
            for x in 0..<size.width {
                let cell = self[x, y]
                if cell.isContinuation { continue }
                if full || previous![x, y] != cell || (cell.width == 2 && previous![x + 1, y] != self[x + 1, y]) {
                    result.append(CellChange(x: x, y: y, cell: cell))
                }
            }
        }
        return result
    }

    /// The screen as text, one string per row, trailing spaces kept.
    public var lines: [String] {
        (0..<size.height).map { y in
            (0..<size.width).map { x in self[x, y].symbol }.joined()
        }
    }

    public var text: String { lines.joined(separator: "\n") }

    /// Row `y` as text without trailing spaces.
    public func line(_ y: Int) -> String {
        var s = lines[y]
        while s.last == " " { s.removeLast() }
        return s
    }

    /// Where `needle` first appears: (x, y) in cells.
    public func find(_ needle: String) -> (x: Int, y: Int)? {
        for y in 0..<size.height {
            let columns = (0..<size.width).filter { !self[$0, y].isContinuation }
            let symbols = columns.map { self[$0, y].symbol }
            let row = symbols.joined()
            guard let range = row.range(of: needle) else { continue }
            // Count characters before the match to find its cell.
            let before = row[..<range.lowerBound]
            var count = 0, consumed = 0
            while consumed < before.count, count < symbols.count {
                consumed += symbols[count].count
                count += 1
            }
            return (columns[min(count, columns.count - 1)], y)
        }
        return nil
    }
}

extension Rect {
    func clamped(to bounds: Rect) -> Rect {
        let x0 = max(x, bounds.x), y0 = max(y, bounds.y)
        let x1 = min(maxX, bounds.maxX), y1 = min(maxY, bounds.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}

extension ScreenBuffer: CustomStringConvertible {
    /// The screen as framed text rows, so a failing test prints something readable.
    public var description: String { "\(size)\n" + lines.map { "|\($0)|" }.joined(separator: "\n") }
}
