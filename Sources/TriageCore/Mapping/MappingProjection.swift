#if canImport(Glibc)
import Glibc
#endif

/// The ECS fields a caller will read from a mapped document. Detection only looks at the few
/// fields its rules, new terms and bookkeeping name, so most of Elastic's mapping (rendered
/// parameter maps, TLS, resources, the dozens of identity fields) need not be built for the tens
/// of thousands of Lambda records a trail holds; matching events are read back and mapped in
/// full when their alerts are built. A field is built exactly as the full mapping builds it.
public struct MappingProjection: Sendable, Equatable {
  public let fields: Set<String>
  /// The fields and every object that holds one (a path set as a whole object still delivers
  /// the fields below it), as bytes grouped by length: the mapper asks once per field it sets,
  /// and a length lookup and a compare or two answer that without hashing.
  private let closureByLength: [[[UInt8]]]
  private let fieldsByLength: [[[UInt8]]]
  /// The lengths of the fields, shortest first, for paths that lie below a field.
  private let fieldLengths: [Int]

  public init<S: Sequence>(fields: S) where S.Element == String {
    self.fields = Set(fields)
    var closure = Set<[UInt8]>()
    for field in self.fields {
      let bytes = Array(field.utf8)
      closure.insert(bytes)
      for end in bytes.indices where bytes[end] == UInt8(ascii: ".") { closure.insert(Array(bytes[..<end])) }
    }
    closureByLength = Self.byLength(closure)
    fieldsByLength = Self.byLength(Set(self.fields.map { Array($0.utf8) }))
    fieldLengths = Set(self.fields.map(\.utf8.count)).sorted()
  }

  private static func byLength(_ set: Set<[UInt8]>) -> [[[UInt8]]] {
    var table = [[[UInt8]]](repeating: [], count: (set.map(\.count).max() ?? 0) + 1)
    for bytes in set.sorted(by: { $0.lexicographicallyPrecedes($1) }) { table[bytes.count].append(bytes) }
    return table
  }

  public static func == (a: MappingProjection, b: MappingProjection) -> Bool { a.fields == b.fields }

  /// Whether a value set at `path` can reach a wanted field: the path is a field, holds one, or
  /// lies below one.
  public func wants(_ path: String) -> Bool {
    var path = path
    return path.withUTF8 { bytes -> Bool in
      let n = bytes.count
      if n < closureByLength.count, Self.anyEqual(closureByLength[n], bytes.baseAddress, n) { return true }
      for m in fieldLengths {
        if m >= n { break }
        if bytes[m] == UInt8(ascii: "."), Self.anyEqual(fieldsByLength[m], bytes.baseAddress, m) { return true }
      }
      return false
    }
  }

  private static func anyEqual(_ candidates: [[UInt8]], _ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
    // Every candidate has `count` bytes; the empty path equals the empty field.
    guard count > 0, let bytes else { return !candidates.isEmpty }
    for candidate in candidates where candidate.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes, count) == 0 }) { return true }
    return false
  }
}
