import ArgumentParser

@main
enum Main {
    static func main() async {
        // `statuslab` alone opens the interface: the start people feel. It skips the command-line
        // parser, whose reflection takes longer than the rest of that start (docs/BENCHMARKS.md,
        // "Start-up"), and does what `StatusLab.run` does with no options. Anything else is parsed.
        guard CommandLine.arguments.count == 1 else {
            await StatusLab.main()
            return
        }
        do {
            try StatusLab.openHome(contentDirectory: nil, palette: InterfaceOptions.palette(theme: nil), mouse: true)
        } catch {
            StatusLab.exit(withError: error)
        }
    }
}
