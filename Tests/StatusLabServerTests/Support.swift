import Foundation
import StatusLabContent
import StatusLabCore
@testable import StatusLabServer

let library: ContentLibrary = {
    do { return try ContentLibrary.load(EmbeddedContent.files.map { ContentFile(path: $0.path, text: $0.text) }) }
    catch { fatalError("\(error)") }
}()

let authDiagram = library.diagram("auth")!

func basic(_ user: String, _ password: String) -> (name: String, value: String) {
    ("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
}

func bearer(_ token: String) -> (name: String, value: String) { ("Authorization", "Bearer " + token) }

func get(_ path: String, _ headers: [(name: String, value: String)] = [], method: String = "GET",
         query: [(name: String, value: String)] = [], service: MockService = MockService(diagram: authDiagram)) -> ServiceResponse {
    service.respond(ServiceRequest(method: method, path: path, query: query, headers: headers))
}
