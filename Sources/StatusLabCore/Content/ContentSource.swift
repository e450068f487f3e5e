import Foundation

/// A file of a content folder, by its path inside the folder (`codes/401.md`).
public struct ContentFile: Sendable {
    public let path: String
    public let text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

public enum ContentSourceError: Error, CustomStringConvertible {
    case notADirectory(String)
    case unreadable(String, String)

    public var description: String {
        switch self {
        case .notADirectory(let path): "\(path): not a content folder (no such directory)"
        case .unreadable(let path, let why): "\(path): cannot be read as UTF-8 text (\(why))"
        }
    }
}

public enum ContentSource {
    /// Every regular file under `directory`, with paths relative to it, sorted.
    public static func files(inDirectory directory: String) throws -> [ContentFile] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ContentSourceError.notADirectory(directory)
        }
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw ContentSourceError.notADirectory(directory)
        }
        var files: [ContentFile] = []
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : url.lastPathComponent
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            do {
                let data = try Data(contentsOf: url)
                guard let text = String(data: data, encoding: .utf8) else {
                    throw ContentSourceError.unreadable(relative, "not UTF-8")
                }
                files.append(ContentFile(path: relative, text: text))
            } catch let error as ContentSourceError {
                throw error
            } catch {
                throw ContentSourceError.unreadable(relative, error.localizedDescription)
            }
        }
        return files.sorted { $0.path < $1.path }
    }
}
