#if canImport(Glibc)
import Glibc
#endif
/// A parsed JSON value that keeps everything Elastic's pipeline depends on: object key order,
/// each object's key count as parsed (before any pruning), and the textual form of numbers.
public enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(JSONNumber)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var objectValue: JSONObject? {
    if case .object(let o) = self { return o }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// The value at a dotted path such as `event.action`, walking nested objects. Keys that themselves
  /// contain dots (`{"event.action": ...}`, as Elastic exports may hold) are found too.
  public subscript(path path: String) -> JSONValue? {
    guard case .object(let object) = self else { return nil }
    return object[path: path]
  }

  /// A scalar rendered the way a keyword field indexes it (strings as is, numbers and booleans as
  /// their JSON text); nil for null, arrays and objects.
  public var keywordText: String? {
    switch self {
    case .string(let s): return s
    case .number(let n): return n.text
    case .bool(let b): return b ? "true" : "false"
    case .null, .array, .object: return nil
    }
  }
}

/// A JSON number kept as written, so integers of any size and doubles can both be rendered the way
/// Java would have parsed them.
public struct JSONNumber: Sendable, Equatable, Hashable {
  public let text: String
  /// True when the literal has a fraction or exponent (Jackson parses those as `Double`).
  public let isFloatingPoint: Bool

  public init(text: String) {
    self.text = text
    isFloatingPoint = text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
  }

  public init(_ value: Int) { self.init(text: String(value)) }

  public var doubleValue: Double? { Double(text) }
  public var intValue: Int? { Int(text) }
}

/// An object member.
public struct JSONMember: Sendable, Equatable {
  public var key: String
  public var value: JSONValue
  public init(_ key: String, _ value: JSONValue) {
    self.key = key
    self.value = value
  }
}

/// An ordered JSON object. `parsedKeyCount` is the number of keys the object had when it was
/// parsed: Java's `HashMap` sizes its table from it and never shrinks, so it decides the rendering
/// order even after pruning removed keys.
public struct JSONObject: Sendable, Equatable {
  public var members: [JSONMember]
  public var parsedKeyCount: Int

  public init(_ members: [JSONMember] = [], parsedKeyCount: Int? = nil) {
    self.members = members
    self.parsedKeyCount = parsedKeyCount ?? members.count
  }

  public var isEmpty: Bool { members.isEmpty }
  public var count: Int { members.count }

  public subscript(key: String) -> JSONValue? {
    get {
      // Byte comparison: String == costs more than the mapping that looks keys up by the dozen.
      let index = key.utf8.withContiguousStorageIfAvailable { bytes -> Int in
        members.firstIndex { JSONObject.keyEquals($0.key, bytes, length: bytes.count) } ?? -1
      }
      if let index { return index >= 0 ? members[index].value : nil }
      for member in members where member.key == key { return member.value }
      return nil
    }
    set {
      // Keys are told apart by their bytes, as the getter and the parser do (and as Elasticsearch's
      // Java strings are); String == would also merge canonically equivalent spellings.
      var bytes = key
      let found = bytes.withUTF8 { k in members.firstIndex { JSONObject.keyEquals($0.key, k, length: k.count) } }
      if let index = found {
        if let newValue { members[index].value = newValue } else { members.remove(at: index) }
      } else if let newValue {
        members.append(JSONMember(key, newValue))
      }
    }
  }

  /// Looks a dotted path up, trying nested objects and literal dotted keys at every level: the
  /// whole path as one key first, then splits from the leftmost dot. Compares UTF-8 bytes in place
  /// (no substring allocations): alert lists and exclusions look fields up for every alert.
  public subscript(path path: String) -> JSONValue? {
    let found = path.utf8.withContiguousStorageIfAvailable { JSONObject.lookup(self, $0) }
    if let found { return found }
    return Array(path.utf8).withUnsafeBufferPointer { JSONObject.lookup(self, $0) }
  }

  private static func lookup(_ object: JSONObject, _ path: UnsafeBufferPointer<UInt8>) -> JSONValue? {
    // One pass over the members: a key equal to the whole path wins; keys that are a prefix of
    // it ending at a dot are tried afterwards, shortest first (leftmost dot), in member order.
    var first: (length: Int, member: Int)?
    var others: [(length: Int, member: Int)] = []  // rare: dotted keys beside nested objects
    // Through the buffer, so visiting a member does not copy (retain and release) it.
    let whole = object.members.withUnsafeBufferPointer { members -> Int? in
      for index in 0..<members.count {
        let length = members[index].key.utf8.count
        guard length <= path.count, length == path.count || path[length] == UInt8(ascii: ".") else { continue }
        guard keyEquals(members[index].key, path, length: length) else { continue }
        if length == path.count { return index }
        guard case .object = members[index].value else { continue }
        if first == nil { first = (length, index) } else { others.append((length, index)) }
      }
      return nil
    }
    if let whole { return object.members[whole].value }
    guard let first else { return nil }
    if others.isEmpty, case .object(let child) = object.members[first.member].value {
      return lookup(child, UnsafeBufferPointer(rebasing: path[(first.length + 1)...]))
    }
    let prefixes = ([first] + others).sorted { $0.length == $1.length ? $0.member < $1.member : $0.length < $1.length }
    for prefix in prefixes {
      guard case .object(let child) = object.members[prefix.member].value else { continue }
      if let found = lookup(child, UnsafeBufferPointer(rebasing: path[(prefix.length + 1)...])) { return found }
    }
    return nil
  }

  /// The value of each of `keys` (its first member, as `self[key]` gives it, nil when absent),
  /// found in one pass over the members rather than one per key.
  public func values(ofKeys keys: [String]) -> [JSONValue?] {
    var found = [JSONValue?](repeating: nil, count: keys.count)
    var missing = keys.count
    members.withUnsafeBufferPointer { members in
      for index in members.indices where missing > 0 {
        let length = members[index].key.utf8.count
        // A found member always has a value, so nil means "not yet"; lengths reject most pairs.
        for k in keys.indices where found[k] == nil && keys[k].utf8.count == length {
          var key = keys[k]
          let equal = key.withUTF8 { Self.keyEquals(members[index].key, $0, length: length) }
          if equal {
            found[k] = members[index].value
            missing -= 1
            break
          }
        }
      }
    }
    return found
  }

  /// Whether `key` is exactly the first `length` bytes of `path`.
  static func keyEquals(_ key: String, _ path: UnsafeBufferPointer<UInt8>, length: Int) -> Bool {
    let utf8 = key.utf8
    guard utf8.count == length else { return false }
    let equal = utf8.withContiguousStorageIfAvailable { k in
      length == 0 || memcmp(k.baseAddress!, path.baseAddress!, length) == 0
    }
    return equal ?? utf8.elementsEqual(path[0..<length])
  }

  /// Sets a value at a dotted path, creating intermediate objects.
  public mutating func set(path: String, _ value: JSONValue) {
    guard let dot = path.utf8.firstIndex(of: UInt8(ascii: ".")) else {
      self[path] = value
      return
    }
    let head = String(path[..<dot])
    let tail = String(path[path.utf8.index(after: dot)...])
    var child = self[head]?.objectValue ?? JSONObject()
    child.set(path: tail, value)
    self[head] = .object(child)
  }

  /// Removes the value at a dotted path (nested form only).
  public mutating func remove(path: String) {
    guard let dot = path.utf8.firstIndex(of: UInt8(ascii: ".")) else {
      self[path] = nil
      return
    }
    let head = String(path[..<dot])
    let tail = String(path[path.utf8.index(after: dot)...])
    guard var child = self[head]?.objectValue else { return }
    child.remove(path: tail)
    self[head] = child.isEmpty ? nil : .object(child)
  }
}
