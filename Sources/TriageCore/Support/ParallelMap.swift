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
