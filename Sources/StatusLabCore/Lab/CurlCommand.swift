import Foundation

/// The curl command line that sends the same request, quoted for a POSIX shell, so a learner
/// can try in a terminal what they tried in the Lab.
public enum CurlCommand {
    public static func line(for request: LabRequest, url: String) -> String {
        var words = ["curl", "-i"]
        if request.method != "GET" || (request.method == "GET" && !request.body.isEmpty) {
            words += request.method == "HEAD" ? ["-I"] : ["-X", request.method]
        }
        switch request.credentials {
        case .none, .session, .formLogin: break
        case .basic(let user, let password): words += ["-u", "\(user):\(password)"]
        case .digest(let user, let password): words += ["--digest", "-u", "\(user):\(password)"]
        case .header(let value): words += ["-H", "Authorization: \(value)"]
        }
        for header in request.headers where !header.name.isEmpty {
            words += ["-H", "\(header.name): \(header.value)"]
        }
        if case .session(let cookie) = request.credentials, !cookie.isEmpty { words += ["-b", cookie] }
        if case .formLogin = request.credentials { words += ["-b", "jar", "-c", "jar"] }
        // -d reads a leading @ as a file name; --data-raw sends it as it is.
        if !request.body.isEmpty { words += [request.body.hasPrefix("@") ? "--data-raw" : "-d", request.body] }
        words.append(url)
        return words.map(quote).joined(separator: " ")
    }

    /// A word as the shell reads it back unchanged: bare when it holds only safe characters,
    /// otherwise in single quotes, with each `'` written as `'\''`.
    public static func quote(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { scalar in
            (scalar.value >= 0x30 && scalar.value <= 0x39) || (scalar.value >= 0x41 && scalar.value <= 0x5A)
                || (scalar.value >= 0x61 && scalar.value <= 0x7A) || "-_./:=@%+,".unicodeScalars.contains(scalar)
        }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

