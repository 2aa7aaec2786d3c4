// WorkerPool: the persistent threads behind `Parallel`.
//
// Decoding one token of a small model is ~40 parallel jobs of 20–100 µs each (one per matrix-
// vector product, attention, ...). Handing each job to Grand Central Dispatch cost 30–500 µs of
// wake-up latency on a busy 2-core machine: more than the job itself. These workers instead stay
// awake between jobs, spinning on one atomic counter for a couple of milliseconds before they
// sleep, the way OpenMP runtimes do; a job reaches a spinning worker in well under a microsecond.
//
// How one job runs (`run`):
//   1. the caller writes the job (the closure, the item count) while no worker can be inside a job;
//   2. it opens the job by making `generation` even; spinning workers see it at once, sleeping
//      ones are woken through a condition variable;
//   3. everyone, the caller included, takes item indices from one shared counter until none are
//      left, so a worker that starts late simply takes fewer items;
//   4. the caller, out of items, closes the job (`generation` odd again) and waits until no
//      worker is still inside it: a worker counts itself in `activeWorkers` before it takes an
//      item and out after its last one, so at zero every item has finished and nobody holds
//      the closure any more. Then it returns.
// Entering a job is a Dekker-style handshake with sequentially consistent atomics: a worker
// counts itself in `activeWorkers` and only then re-reads `generation`, while the caller closes
// the job and only then reads `activeWorkers`; whichever order the two happen in, either the
// worker backs off or the caller waits for it.
//
// Left out: nested parallelism. A job started from inside a job (or from a second thread while
// one runs) is refused, and `Parallel` runs it on the calling thread instead.

import Foundation
import Synchronization

final class WorkerPool: @unchecked Sendable {
    // @unchecked: `job`, `itemCount` and `participants` are written only by the one submitting
    // thread, while `generation` is odd and `activeWorkers` is zero (no worker can read them);
    // workers read them only inside an open job. `threads` is guarded by `threadsLock`.

    /// The pool used by `Parallel`.
    static let shared = WorkerPool()

    /// How long an idle worker spins before it sleeps: longer than the gap between the jobs of
    /// one decoding step (sampling, the next token's embedding), short enough not to burn a core
    /// for long after the work stops.
    static let spinNanoseconds: UInt64 = 3_000_000

    // MARK: - The job

    private var job: ((Int) -> Void)?
    private var itemCount = 0
    /// Workers 0..<participants take items; the others sit this job out (a lower thread count).
    private var participants = 0

    // MARK: - Synchronization
    //
    // The counters that both sides write live on cache lines of their own (`PaddedCounter`):
    // sharing one line, every write by one core would also evict the other core's copy of the
    // counter it is spinning on.

    /// Odd: no job is open (one may be being written). Even: a job is open.
    private let generation = PaddedCounter(1)
    private let nextItem = PaddedCounter(0)
    private let activeWorkers = PaddedCounter(0)
    private let sleepingWorkers = Atomic<Int>(0)
    private let submitting = Atomic<Bool>(false)
    private let wakeUp = NSCondition()

    private let threadsLock = NSLock()
    private var threads: [Thread] = []
    /// `threads.count`, readable without the lock.
    private let startedThreads = Atomic<Int>(0)

    /// Runs `body(i)` for every `i` in `0..<count` on the calling thread and up to `helpers`
    /// pool threads. Returns `false`, having run nothing, when the pool is already busy (a
    /// nested or concurrent call); the caller then runs the items itself.
    func run(_ count: Int, helpers: Int, _ body: (Int) -> Void) -> Bool {
        guard submitting.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        defer { submitting.store(false, ordering: .releasing) }
        if startedThreads.load(ordering: .acquiring) < helpers { startThreads(upTo: helpers) }

        let closed = generation.value.load(ordering: .relaxed)
        withoutActuallyEscaping(body) { body in
            // 1. Write the job. `generation` is odd and no worker is active: nobody reads these.
            job = body
            itemCount = count
            participants = helpers
            nextItem.value.store(0, ordering: .relaxed)

            // 2. Open it, and wake the workers that went to sleep.
            generation.value.store(closed &+ 1, ordering: .sequentiallyConsistent)
            if sleepingWorkers.load(ordering: .sequentiallyConsistent) > 0 {
                wakeUp.lock()
                wakeUp.broadcast()
                wakeUp.unlock()
            }

            // 3. Take items like any worker.
            takeItems(body)

            // 4. Close the job; wait until the workers inside it have finished their items.
            generation.value.store(closed &+ 2, ordering: .sequentiallyConsistent)
            while activeWorkers.value.load(ordering: .sequentiallyConsistent) != 0 {}
            job = nil
        }
        return true
    }

    /// Takes item indices from the shared counter and runs them until none are left.
    private func takeItems(_ body: (Int) -> Void) {
        while true {
            let item = nextItem.value.wrappingAdd(1, ordering: .relaxed).oldValue
            if item >= itemCount { return }
            body(item)
        }
    }

    // MARK: - Workers

    private func startThreads(upTo count: Int) {
        threadsLock.lock()
        defer { threadsLock.unlock() }
        // The generation now (no job open: the caller holds `submitting`). A worker that starts
        // running only after the caller has opened its job still sees that job as new.
        let current = generation.value.load(ordering: .acquiring)
        while threads.count < count {
            let index = threads.count
            let thread = Thread { [self] in workerLoop(index: index, after: current) }
            thread.name = "LabKernel worker \(index + 1)"
            threads.append(thread)
            thread.start()
        }
        startedThreads.store(threads.count, ordering: .releasing)
    }

    private func workerLoop(index: Int, after initial: Int) -> Never {
        var seen = initial
        while true {
            let open = waitForJob(after: seen)
            seen = open
            // Count in, then check the job is still the one we saw (see the file header).
            activeWorkers.value.wrappingAdd(1, ordering: .sequentiallyConsistent)
            if generation.value.load(ordering: .sequentiallyConsistent) == open, index < participants, let body = job {
                takeItems(body)
            }
            activeWorkers.value.wrappingSubtract(1, ordering: .releasing)
        }
    }

    /// Waits for an open job newer than `seen`: spins first, then sleeps until woken.
    private func waitForJob(after seen: Int) -> Int {
        func openJob() -> Int? {
            let current = generation.value.load(ordering: .sequentiallyConsistent)
            return current & 1 == 0 && current != seen ? current : nil
        }
        let spinUntil = DispatchTime.now().uptimeNanoseconds &+ WorkerPool.spinNanoseconds
        var spins = 0
        while true {
            if let open = openJob() { return open }
            spins &+= 1
            if spins & 255 == 0 && DispatchTime.now().uptimeNanoseconds > spinUntil { break }
        }
        // Sleep. Counting ourselves as sleeping before the last check pairs with the caller's
        // "open, then look for sleepers" so that a wake-up cannot be missed.
        wakeUp.lock()
        defer { wakeUp.unlock() }
        sleepingWorkers.wrappingAdd(1, ordering: .sequentiallyConsistent)
        defer { sleepingWorkers.wrappingSubtract(1, ordering: .sequentiallyConsistent) }
        while true {
            if let open = openJob() { return open }
            wakeUp.wait()
        }
    }
}

/// An atomic counter alone on its cache line (64 bytes on x86-64 and Apple silicon's 128 are
/// both covered: the object is padded to 128 bytes, and objects are allocated separately).
final class PaddedCounter: Sendable {
    private let padding0: (Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0)
    let value: Atomic<Int>
    private let padding1: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

    init(_ initial: Int) { value = Atomic(initial) }
}
