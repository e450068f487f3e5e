import Foundation
import Testing
@testable import StatusLabCore

@Suite struct StateFileTests {
    func file() -> StateFile<[String]> {
        StateFile(file: FileManager.default.temporaryDirectory.appendingPathComponent("statuslab-state-\(UUID().uuidString)/history.json"),
                  what: "test file")
    }

    @Test func anOlderSnapshotFinishingLastDoesNotOverwriteANewerOne() throws {
        let state = file()
        defer { try? FileManager.default.removeItem(at: state.file.deletingLastPathComponent()) }
        let older = state.ticket(), newer = state.ticket()
        #expect(try state.save(["a", "b"], ticket: newer))
        #expect(try !state.save(["a"], ticket: older), "dropped: the file has newer")
        #expect(state.load().value == ["a", "b"])
        // A copy of the file value keeps the same order (screens copy their state).
        let copy = state
        #expect(try copy.save(["a", "b", "c"], ticket: copy.ticket()))
        #expect(state.load().value == ["a", "b", "c"])
    }

    @Test func savesFinishingInAnyOrderLeaveTheNewest() async throws {
        let state = file()
        defer { try? FileManager.default.removeItem(at: state.file.deletingLastPathComponent()) }
        let snapshots = (1...40).map { n in (value: (1...n).map(String.init), ticket: state.ticket()) }
        await withTaskGroup(of: Void.self) { group in
            for snapshot in snapshots.shuffled() {
                group.addTask { _ = try? state.save(snapshot.value, ticket: snapshot.ticket) }
            }
        }
        #expect(state.load().value?.count == 40)
    }
}
