import Foundation
import StatusLabContent
import StatusLabCore
@testable import StatusLabServer

let library: ContentLibrary = {
    do { return try ContentLibrary.load(EmbeddedContent.files.map { ContentFile(path: $0.path, text: $0.text) }) }
    catch { fatalError("\(error)") }
}()

let authDiagram = library.diagram("auth")!
let diagrams = try! ServerDiagrams(library)

/// Walks the diagram a `StatusLab-Decision` header names with the answers it lists: the
/// outcome the server claims to have reached, and the header the engine would write for it.
func replay(_ header: String) -> (outcome: Outcome, described: String)? {
    guard let record = DecisionRecord(header: header), let diagram = library.diagram(record.diagram),
          let outcome = record.replay(in: diagram) else { return nil }
    return (outcome, DecisionRecord(diagram: diagram, path: record.steps, outcome: outcome).header)
}

func basic(_ user: String, _ password: String) -> (name: String, value: String) {
    ("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
}

func bearer(_ token: String) -> (name: String, value: String) { ("Authorization", "Bearer " + token) }

func get(_ path: String, _ headers: [(name: String, value: String)] = [], method: String = "GET",
         query: [(name: String, value: String)] = [], service: MockService = MockService(diagrams: diagrams)) -> ServiceResponse {
    service.respond(ServiceRequest(method: method, path: path, query: query, headers: headers))
}
