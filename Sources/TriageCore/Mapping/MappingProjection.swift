/// The ECS fields a caller will read from a mapped document. Detection only looks at the few
/// fields its rules, new terms and bookkeeping name, so most of Elastic's mapping (rendered
/// parameter maps, TLS, resources, the dozens of identity fields) need not be built for the tens
/// of thousands of Lambda records a trail holds; matching events are read back and mapped in
/// full when their alerts are built. A field is built exactly as the full mapping builds it.
public struct MappingProjection: Sendable, Equatable {
  public let fields: Set<String>
  /// The fields and every object that holds one (a path set as a whole object still delivers
  /// the fields below it), by a hash of their bytes; the mapper asks once per field it sets, so
  /// this is a byte loop rather than String slicing.
  private let fieldsAndAncestors: [UInt64: [[UInt8]]]
  private let fieldsByHash: [UInt64: [[UInt8]]]

  public init<S: Sequence>(fields: S) where S.Element == String {
    self.fields = Set(fields)
    var closure: [UInt64: [[UInt8]]] = [:]
    var byHash: [UInt64: [[UInt8]]] = [:]
    func add(_ bytes: [UInt8], to table: inout [UInt64: [[UInt8]]]) {
      let h = Self.hash(bytes[...])
      if !(table[h]?.contains(bytes) ?? false) { table[h, default: []].append(bytes) }
    }
    for field in self.fields {
      let bytes = Array(field.utf8)
      add(bytes, to: &byHash)
      add(bytes, to: &closure)
      for end in bytes.indices where bytes[end] == UInt8(ascii: ".") { add(Array(bytes[..<end]), to: &closure) }
    }
    fieldsAndAncestors = closure
    fieldsByHash = byHash
    var filter = [UInt64](repeating: 0, count: Self.filterWords)
    for candidates in closure.values {
      for bytes in candidates { let bit = Self.filterBit(bytes[...]); filter[bit >> 6] |= 1 << UInt64(bit & 63) }
    }
    closureFilter = filter
    fieldLengths = self.fields.reduce(into: Set<Int>()) { $0.insert($1.utf8.count) }.sorted()
  }

  /// A bit per (length, middle byte, last byte) of every field and ancestor: most paths the
  /// mapper sets are unwanted, and this answers them without hashing.
  private let closureFilter: [UInt64]
  /// The lengths of the fields, shortest first, for paths that lie below a field.
  private let fieldLengths: [Int]
  private static let filterWords = 64

  private static func filterBit<C: RandomAccessCollection>(_ bytes: C) -> Int where C.Element == UInt8, C.Index == Int {
    let n = bytes.count
    guard n > 0 else { return 0 }
    let middle = Int(bytes[bytes.startIndex + n / 2])
    let last = Int(bytes[bytes.startIndex + n - 1])
    return (n &* 131 &+ middle &* 31 &+ last) & (filterWords * 64 - 1)
  }

  /// False only when `path` is surely not a field, an ancestor of one, or below one.
  private func mayWant(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let bit = Self.filterBit(bytes)
    if closureFilter[bit >> 6] & (1 << UInt64(bit & 63)) != 0 { return true }
    for length in fieldLengths {
      if length >= bytes.count { break }
      if bytes[length] == UInt8(ascii: ".") { return true }
    }
    return false
  }

  public static func == (a: MappingProjection, b: MappingProjection) -> Bool { a.fields == b.fields }

  /// Whether a value set at `path` can reach a wanted field: the path is a field, holds one, or
  /// lies below one.
  public func wants(_ path: String) -> Bool {
    var path = path
    return path.withUTF8 { bytes -> Bool in
      guard mayWant(bytes) else { return false }
      var h = Self.seed
      for i in 0..<bytes.count {
        if bytes[i] == UInt8(ascii: "."), let candidates = fieldsByHash[h], candidates.contains(where: { $0.elementsEqual(bytes[..<i]) }) { return true }
        h = (h ^ UInt64(bytes[i])) &* Self.prime
      }
      return fieldsAndAncestors[h]?.contains(where: { $0.elementsEqual(bytes) }) ?? false
    }
  }

  private static let seed: UInt64 = 0xcbf2_9ce4_8422_2325
  private static let prime: UInt64 = 0x100_0000_01b3

  private static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    bytes.reduce(seed) { ($0 ^ UInt64($1)) &* prime }
  }
}
