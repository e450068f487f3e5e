import Testing
@testable import StatusLabCore

@Suite struct RegistryTests {
    @Test func registryHoldsEveryCodeOnceWithCurrentNames() {
        let codes = StatusRegistry.all.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(codes == codes.sorted())
        #expect(StatusRegistry.all.count == 63)
        #expect(StatusRegistry.lookup(413)?.reason == "Content Too Large")
        #expect(StatusRegistry.lookup(422)?.reason == "Unprocessable Content")
        #expect(StatusRegistry.lookup(416)?.reason == "Range Not Satisfiable")
        #expect(StatusRegistry.lookup(401)?.reference == "RFC 9110 §15.5.2")
        #expect(StatusRegistry.lookup(999) == nil)
    }

    @Test func onlyThreeOhSixAndFourEighteenAreUnused() {
        #expect(StatusRegistry.all.filter(\.unused).map(\.code) == [306, 418])
    }

    @Test func everyRegistryReferenceIsWellFormed() {
        for entry in StatusRegistry.all {
            #expect(SpecReference.isWellFormed(entry.reference), "\(entry.code): \(entry.reference)")
        }
    }

    @Test func statusClassesParseFromLabels() {
        #expect(StatusClass(label: "4xx") == .clientError)
        #expect(StatusClass(label: "5XX") == .serverError)
        #expect(StatusClass(label: "2") == .successful)
        #expect(StatusClass(label: "6xx") == nil)
        #expect(StatusClass(label: "4x") == nil)
        #expect(StatusClass(code: 404) == .clientError)
        #expect(StatusClass(code: 600) == nil)
    }

    @Test func requiredHeadersFollowTheSpecs() {
        #expect(HeaderRules.requiredHeaders(for: 401) == ["WWW-Authenticate"])
        #expect(HeaderRules.requiredHeaders(for: 405) == ["Allow"])
        #expect(HeaderRules.requiredHeaders(for: 407) == ["Proxy-Authenticate"])
        for code in [301, 302, 303, 307, 308] { #expect(HeaderRules.requiredHeaders(for: code) == ["Location"]) }
        #expect(HeaderRules.requiredHeaders(for: 200).isEmpty)
    }

    @Test func spellingOfSpecReferences() {
        #expect(SpecReference.isWellFormed("RFC 9110 §15.5.2"))
        #expect(SpecReference.isWellFormed("RFC 6750"))
        #expect(SpecReference.isWellFormed("draft-ietf-httpbis-rfc6265bis"))
        #expect(!SpecReference.isWellFormed("RFC9110"))
        #expect(!SpecReference.isWellFormed("RFC 9110 section 15"))
        #expect(!SpecReference.isWellFormed("RFC 9110 § 15"))
        #expect(!SpecReference.problems(inProse: "as RFC9110 says").isEmpty)
        #expect(!SpecReference.problems(inProse: "see Section 3 of RFC 6750").isEmpty)
        #expect(!SpecReference.problems(inProse: "RFC 6750 section 3").isEmpty)
        #expect(SpecReference.problems(inProse: "RFC 9110 §15.5.2 and §15.5.4 agree").isEmpty)
    }
}
