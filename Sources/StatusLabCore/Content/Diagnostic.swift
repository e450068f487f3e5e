/// One problem found in a content file, printed as `file:line: message`.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible, Error {
    public let file: String
    public let line: Int
    public let message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}
