/// Finding pages by number ("401", "40", "4xx"), by name ("forbidden") or by the words a
/// learner has in mind ("login", "token", "hide"). Used by `/` in the TUI and by `explain`.
extension ContentLibrary {
    public struct Match: Sendable {
        public let page: Page
        public let score: Int
    }

    /// Matching pages, best first. An empty query matches every page, in reading order.
    public func search(_ query: String) -> [Match] {
        let trimmed = query.trimmingCharacters(in: " \t")
        guard !trimmed.isEmpty else { return pages.map { Match(page: $0, score: 0) } }

        if trimmed.allSatisfy(\.isNumber) {
            if let exact = page(code: Int(trimmed) ?? -1) {
                // The code's page, then the essays and pages named after it ("401 or 403?").
                let about = pages.filter { $0.kind != .code && Self.words($0.title).contains(trimmed) }
                return [Match(page: exact, score: 1000)] + about.map { Match(page: $0, score: 400) }
            }
            return codePages.filter { $0.id.hasPrefix(trimmed) }.map { Match(page: $0, score: 500) }
        }
        if let statusClass = StatusClass(label: trimmed), trimmed.count == 3 {
            return codePages.filter { $0.statusClass == statusClass }.map { Match(page: $0, score: 500) }
        }
        if let exact = page(trimmed.lowercased()) { 
            return [Match(page: exact, score: 1000)] + wordMatches(trimmed).filter { $0.page.id != exact.id }
        }
        return wordMatches(trimmed)
    }

    private func wordMatches(_ query: String) -> [Match] {
        let words = Self.words(query)
        guard !words.isEmpty else { return [] }
        var matches: [Match] = []
        for page in pages {
            var total = 0
            var allFound = true
            for word in words {
                let score = Self.score(word, in: page)
                if score == 0 { allFound = false; break }
                total += score
            }
            if allFound { matches.append(Match(page: page, score: total)) }
        }
        return matches.enumerated()
            .sorted { ($0.element.score, -$0.offset) > ($1.element.score, -$1.offset) }
            .map(\.element)
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" }).map(String.init)
    }

    /// How strongly `word` points at `page`: its id and title weigh most, then its tags (whole
    /// tags, and the first ones, which authors list as the most telling, more), then its summary;
    /// code pages win ties, and how often the text uses the word breaks the rest. A word of
    /// three or more letters also matches as a prefix ("forbid" finds Forbidden).
    static func score(_ word: String, in page: Page) -> Int {
        func matches(_ candidate: String) -> Bool {
            candidate == word || (word.count >= 3 && candidate.hasPrefix(word))
        }
        var score = 0
        if page.id == word { score += 100 }
        if words(page.title).contains(where: matches) { score += 40 }
        if let tagIndex = page.tags.firstIndex(where: { $0.lowercased() == word }) {
            score += 30 - min(tagIndex, 10)
        } else if let tagIndex = page.tags.firstIndex(where: { words($0).contains(where: matches) }) {
            // Part of a longer tag ("lock token") says less than a tag of its own.
            score += 15 - min(tagIndex, 10) / 2
        }
        if words(page.summary).contains(where: matches) { score += 12 }
        if score > 0, page.kind == .code { score += 4 }
        let occurrences = page.searchText.components(separatedBy: word).count - 1
        return score + min(occurrences, 3)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
