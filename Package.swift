// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "statuslab",
// Linux only: the terminal layer imports Glibc and ncursesw, the tests read /proc. SwiftPM has
// no way to say "Linux only", so no Apple platform is declared.
    products: [
        .executable(name: "statuslab", targets: ["statuslab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // https for check, the spec URL of check --openapi and the Lab (docs/BENCHMARKS.md, "TLS").
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Test certificates, made in the tests themselves.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // OpenAPI documents for `check --openapi`. Its default trait (loading external
        // references, with Swift Concurrency) is left out: StatusLab refuses remote $refs, and
        // the trait makes the build notably slower.
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.4.0", traits: []),
    ],
    targets: [
        // The only code that includes curses.h: a handful of shims for what Swift cannot import.
        .target(name: "CNcursesw", dependencies: ["Ncursesw"]),
        // ncursesw's link flags from pkg-config (`-ltinfo` only where tinfo is separate).
        .systemLibrary(name: "Ncursesw", pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),
        // Pure Swift: the status-code registry, content pages, markup, search, validation.
        .target(name: "StatusLabCore"),
        // content/, checked, turned into Swift source at build time, so the binary works alone.
        .target(
            name: "StatusLabContent",
            plugins: [.plugin(name: "EmbedContentPlugin")]
        ),
        // Checks content/ as `statuslab content check` does (so it builds Core for the host too)
        // and fails the build on a problem.
        .executableTarget(name: "content-embedder", dependencies: ["StatusLabCore"], path: "Plugins/ContentEmbedder"),
        .plugin(
            name: "EmbedContentPlugin",
            capability: .buildTool(),
            dependencies: ["content-embedder"]
        ),
        // Screen buffer, widgets, screens and the event loop; never touches a terminal.
        .target(name: "StatusLabTUI", dependencies: ["StatusLabCore"]),
        // The mock HTTP server: the demo world, decided by the diagrams, on SwiftNIO's HTTP/1.1
        // parser (docs/SERVER.md says why not Hummingbird's channel).
        .target(
            name: "StatusLabServer",
            dependencies: [
                "StatusLabCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The Lab's HTTP client: NIO's client codec over a handler that records the wire bytes,
        // under TLS for https.
        .target(
            name: "StatusLabClient",
            dependencies: [
                "StatusLabCore", "StatusLabServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        // statuslab check and judge: grade an API from a YAML plan or its OpenAPI document, and
        // report on recorded traffic, by the auth diagram.
        .target(
            name: "StatusLabCheck",
            dependencies: [
                "StatusLabCore", "StatusLabClient",
                .product(name: "Yams", package: "Yams"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "OpenAPIKit30", package: "OpenAPIKit"),
                .product(name: "OpenAPIKitCompat", package: "OpenAPIKit"),
            ]
        ),
        // The ncurses backend: copies changed cells to the terminal, reads keys, owns signals.
        .target(name: "StatusLabTerminal", dependencies: ["StatusLabTUI", "CNcursesw"]),
        .executableTarget(
            name: "statuslab",
            dependencies: [
                "StatusLabCore", "StatusLabContent", "StatusLabTUI", "StatusLabTerminal", "StatusLabServer", "StatusLabClient", "StatusLabCheck",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What several test targets use: tools on PATH, a port check.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "StatusLabCoreTests",
            dependencies: ["StatusLabCore", "StatusLabContent"]
        ),
        .testTarget(
            name: "StatusLabTUITests",
            dependencies: ["StatusLabTUI", "StatusLabCore", "StatusLabContent", "StatusLabServer", "StatusLabClient", "TestSupport"]
        ),
        .testTarget(
            name: "StatusLabServerTests",
            dependencies: [
                "StatusLabServer", "StatusLabCore", "StatusLabContent", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "StatusLabClientTests",
            dependencies: ["StatusLabClient", "StatusLabServer", "StatusLabCore", "StatusLabContent", "StatusLabCheck", "TestSupport",
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "X509", package: "swift-certificates"), .product(name: "SwiftASN1", package: "swift-asn1"),
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Runs the built binary: plain commands, and the TUI inside tmux.
        .testTarget(name: "EndToEndTests", dependencies: ["statuslab", "StatusLabCore", "StatusLabContent", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
