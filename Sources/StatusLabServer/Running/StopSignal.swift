import Dispatch
import Foundation
import Synchronization

/// SIGINT or SIGTERM, noticed without ending the process, so that whoever runs in the
/// foreground (`serve`, `exercise watch`) can stop and clean up. The one owner of those signals
/// outside the full-screen interface, whose terminal backend owns them while it runs.
public final class StopSignal: @unchecked Sendable {
    // @unchecked: `sources` is set once here and only cancelled when this goes; the state the
    // signal handlers touch is `raised`'s, behind its lock.
    private let raised = Raised()
    private let sources: [DispatchSourceSignal]

    /// Watches from now on: a signal that comes before anyone asks is kept.
    public init() {
        let raised = self.raised
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { raised.raise() }
            source.resume()
            return source
        }
    }

    deinit { sources.forEach { $0.cancel() } }

    public var isRaised: Bool { raised.isRaised }

    /// Runs `action` once a signal comes (at once if one came already).
    public func whenRaised(_ action: @escaping @Sendable () -> Void) { raised.whenRaised(action) }

    private final class Raised: Sendable {
        private let state = Mutex<(raised: Bool, action: (@Sendable () -> Void)?)>((false, nil))

        var isRaised: Bool { state.withLock { $0.raised } }

        func whenRaised(_ action: @escaping @Sendable () -> Void) {
            let already = state.withLock { state -> Bool in
                state.action = action
                return state.raised
            }
            if already { action() }
        }

        func raise() {
            let action = state.withLock { state -> (@Sendable () -> Void)? in
                state.raised = true
                return state.action
            }
            action?()
        }
    }
}
