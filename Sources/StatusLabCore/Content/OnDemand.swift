import Synchronization

/// A value made the first time it is asked for, once, whichever thread asks: how the built-in
/// content is parsed only as far as a command needs it.
final class OnDemand<Value: Sendable>: Sendable {
    private enum State {
        case pending(@Sendable () -> Value)
        case made(Value)
    }

    private let state: Mutex<State>

    init(_ make: @escaping @Sendable () -> Value) { state = Mutex(.pending(make)) }

    /// Already made: content that was parsed in full to be checked.
    init(made value: Value) { state = Mutex(.made(value)) }

    var value: Value {
        state.withLock { state in
            switch state {
            case .made(let value): return value
            case .pending(let make):
                let value = make()
                state = .made(value)
                return value
            }
        }
    }
}
