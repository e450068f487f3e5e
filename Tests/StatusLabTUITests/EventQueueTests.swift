import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import StatusLabTUI

/// The wake pipe beside the keyboard: a post makes it readable, a drain leaves it empty, so the
/// loop neither sleeps through a post nor spins on a stale byte.
@Suite struct EventQueueTests {
    /// Whether a wait on the descriptor would return at once (poll with no timeout).
    static func readable(_ descriptor: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) == 1 && entry.revents & Int16(POLLIN) != 0
    }

    /// How many bytes are waiting in the pipe.
    static func waiting(_ descriptor: Int32) -> Int32 {
        var count: Int32 = 0
        _ = ioctl(descriptor, UInt(FIONREAD), &count)
        return count
    }

    @Test func aPostWakesAndADrainLeavesNothingToWakeOn() {
        let queue = EventQueue()
        #expect(!Self.readable(queue.wakeDescriptor), "a new queue does not wake")
        queue.post(.tick)
        #expect(Self.readable(queue.wakeDescriptor))
        let events = queue.drain()
        #expect(events.count == 1)
        #expect(!Self.readable(queue.wakeDescriptor), "after a drain a wait sleeps")
        #expect(queue.drain().isEmpty)
    }

    @Test func aPostAfterADrainWakesAgain() {
        let queue = EventQueue()
        queue.post(.tick)
        _ = queue.drain()
        queue.post(.resize(Size(width: 80, height: 24)))
        #expect(Self.readable(queue.wakeDescriptor), "the second post is not left waiting for a timeout")
        #expect(queue.drain().count == 1)
        #expect(!Self.readable(queue.wakeDescriptor))
    }

    @Test func manyPostsMakeOneByte() {
        let queue = EventQueue()
        for _ in 0..<1000 { queue.post(.tick) }
        #expect(Self.waiting(queue.wakeDescriptor) == 1, "a flood is one wake-up, not a full pipe")
        #expect(queue.drain().count == 1000)
        #expect(Self.waiting(queue.wakeDescriptor) == 0)
    }

    /// A poster appends its event, the loop drains it, and only then does the poster's byte
    /// arrive: the next drain finds no event but must still read the byte, or every wait after it
    /// returns at once and the loop spins.
    @Test func aLateByteIsReadByTheNextDrainEvenWithNoEvents() {
        let queue = EventQueue()
        queue.post(.tick)
        #expect(queue.drain().count == 1)
        var byte: UInt8 = 1
        #expect(write(queue.wakeWriter, &byte, 1) == 1, "the late byte")
        #expect(Self.readable(queue.wakeDescriptor))
        #expect(queue.drain().isEmpty)
        #expect(!Self.readable(queue.wakeDescriptor), "the stale byte is gone: the next wait sleeps")
    }

    /// Posts from other threads while the loop drains: every event is delivered, and once they
    /// are all taken the pipe is empty or holds the one byte of a post still to be taken.
    @Test func concurrentPostsAreAllDeliveredAndLeaveNoStaleWake() async {
        let queue = EventQueue()
        let posters = 4, each = 500
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<posters {
                group.addTask { for _ in 0..<each { queue.post(.tick) } }
            }
            var received = 0
            // The loop's side: wait on the pipe as the backend does, then drain.
            while received < posters * each {
                var entry = pollfd(fd: queue.wakeDescriptor, events: Int16(POLLIN), revents: 0)
                _ = poll(&entry, 1, 1000)
                received += queue.drain().count
                await Task.yield()
            }
            await group.waitForAll()
            #expect(received == posters * each)
        }
        #expect(queue.drain().isEmpty)
        #expect(!Self.readable(queue.wakeDescriptor), "nothing left to wake on once every event is taken")
    }
}
