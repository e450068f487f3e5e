import Foundation

/// A file under `Tests/Fixtures/`, by its path there (`traffic/fastapi.har`).
func fixtureURL(_ path: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/\(path)")
}
