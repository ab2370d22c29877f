import Synchronization

/// Memory a run may spend on something that would otherwise grow with the input (the evidence
/// index, records kept for alerts), shared by the scanning threads.
final class ByteBudget: Sendable {
  private let remaining: Atomic<Int>

  init(bytes: Int) { remaining = Atomic(bytes) }

  /// Takes room for one item; false once the budget is spent.
  func take(_ bytes: Int) -> Bool { remaining.subtract(bytes, ordering: .relaxed).newValue >= 0 }

  /// Returns what a part that is thrown away took.
  func giveBack(_ bytes: Int) { remaining.add(bytes, ordering: .relaxed) }
}
