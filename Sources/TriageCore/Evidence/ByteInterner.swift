import Foundation

/// Distinct byte strings, each stored once in one arena and numbered in order of arrival. Keys
/// are hashed straight from the record's bytes, so filing an event under its principal creates no
/// `String` and touches no allocator unless the value is new. The hash is seeded per process so
/// crafted logs cannot aim collisions at it.
struct ByteInterner: Sendable {
  private static let seed: UInt64 = UInt64.random(in: 1...UInt64.max)

  private var arena: [UInt8] = []
  private var starts: [Int32] = [0]
  /// Open addressing, at most half full: each slot holds the top 32 bits of its value's hash
  /// (they also pick the slot) and the value's id + 1 (0 is empty). With the hash in the slot, a
  /// probe reads one table, not two: with hundreds of thousands of addresses and keys, each
  /// lookup was a cache miss in the slots and another in a separate table of hashes.
  private var slots: [UInt64] = Array(repeating: 0, count: 64)

  var count: Int { starts.count - 1 }

  /// Bytes held: the text and the tables.
  var memoryBytes: Int { arena.capacity + starts.capacity * 4 + slots.capacity * 8 }

  func value(_ id: Int32) -> String {
    withBytes(id) { String(decoding: $0, as: UTF8.self) }
  }

  func withBytes<T>(_ id: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    let range = Int(starts[Int(id)])..<Int(starts[Int(id) + 1])
    return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
  }

  /// The value's number, or the empty slot where it would go.
  private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (id: Int32?, slot: Int) {
    let mask = slots.count - 1
    let tag = hash >> 32
    var slot = Int(truncatingIfNeeded: tag) & mask
    while case let entry = slots[slot], entry != 0 {
      if entry >> 32 == tag {
        let id = Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
        if equals(id, bytes) { return (id, slot) }
      }
      slot = (slot + 1) & mask
    }
    return (nil, slot)
  }

  mutating func id(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
    let hash = Self.hash(bytes)
    let (found, slot) = find(bytes, hash: hash)
    if let found { return found }
    let id = Int32(count)
    arena.append(contentsOf: bytes)
    starts.append(Int32(arena.count))
    slots[slot] = (hash >> 32) << 32 | UInt64(id + 1)
    if count * 2 > slots.count { grow() }
    return id
  }

  mutating func id(_ text: String?) -> Int32 {
    guard var text else { return -1 }
    return text.withUTF8 { id($0) }
  }

  func lookup(_ text: String?) -> Int32? {
    guard var text else { return nil }
    return text.withUTF8 { find($0, hash: Self.hash($0)).id }
  }

  private func equals(_ id: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = Int(starts[Int(id)])
    let length = Int(starts[Int(id) + 1]) - start
    guard length == bytes.count else { return false }
    if length == 0 { return true }
    return arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, bytes.baseAddress!, length) == 0 }
  }

  private mutating func grow() {
    var bigger = [UInt64](repeating: 0, count: slots.count * 2)
    let mask = bigger.count - 1
    for entry in slots where entry != 0 {
      var slot = Int(truncatingIfNeeded: entry >> 32) & mask
      while bigger[slot] != 0 { slot = (slot + 1) & mask }
      bigger[slot] = entry
    }
    slots = bigger
  }

  /// Eight bytes at a time, multiply-mix (in the manner of wyhash/xxhash's finalisers).
  @inline(__always)
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
    guard let base = bytes.baseAddress else { return mix(h) }
    let raw = UnsafeRawPointer(base)
    var i = 0
    while i + 8 <= bytes.count {
      h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < bytes.count {
      tail |= UInt64(base[i]) << shift
      shift += 8
      i += 1
    }
    return mix(h ^ tail ^ 0xFF51_AFD7_ED55_8CCD)
  }

  @inline(__always)
  private static func mix(_ x: UInt64) -> UInt64 {
    var z = x &* 0xBF58_476D_1CE4_E5B9
    z ^= z >> 31
    z = z &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 29)
  }
}
