import Dispatch
import Synchronization

/// Work items run on every core, their outcomes kept in item order, so what the caller builds
/// from them does not depend on thread timing.
enum ParallelMap {
  static func outcomes<T: Sendable, E: Error>(count: Int, _ body: @Sendable (Int) throws(E) -> T) -> [Result<T, E>] {
    let slots = Mutex([Result<T, E>?](repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { k in
      let outcome = Result { () throws(E) -> T in try body(k) }
      slots.withLock { $0[k] = outcome }
    }
    return slots.withLock { $0 }.map { $0! }
  }
}

extension ParallelMap {
  /// Work started on another thread at once, its result taken with `wait()`: lets the caller do
  /// serial work on the previous batch while this one runs.
  final class Background<T: Sendable>: Sendable {
    private let result = Mutex<T?>(nil)
    private let done = DispatchGroup()

    init(_ work: @escaping @Sendable () -> T) {
      DispatchQueue.global().async(group: done) {
        let value = work()
        self.result.withLock { $0 = value }
      }
    }

    func wait() -> T {
      done.wait()
      return result.withLock { $0! }
    }
  }
}
