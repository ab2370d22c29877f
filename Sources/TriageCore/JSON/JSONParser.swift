/// A byte-level, order-preserving JSON parser (RFC 8259).
///
/// Objects keep their member order and remember how many keys they were parsed with; numbers keep
/// their literal text. Nesting is bounded so hostile input cannot overflow the stack, and duplicate
/// keys are rejected as Elasticsearch's `json` processor rejects them.
public struct JSONParser {
  public static let defaultMaxDepth = 200

  public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
    let array = Array(bytes)
    return try array.withUnsafeBufferPointer { buffer throws(JSONError) in
      try parse(buffer, maxDepth: maxDepth)
    }
  }

  public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
    try parse(Array(text.utf8), maxDepth: maxDepth)
  }

  public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
    try parse(buffer, maxDepth: maxDepth, skippingTopLevel: nil).value
  }

  /// Parses, but where `skip` says so for a member of the top-level object (given its key and the
  /// members before it), the value is only validated, not built, and kept as `null`. Accepts and
  /// rejects exactly what `parse` does, with the same errors; `skipped` tells whether any was.
  static func parse(
    _ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth,
    skippingTopLevel skip: ((_ key: String, _ before: ArraySlice<JSONMember>) -> Bool)?
  ) throws(JSONError) -> (value: JSONValue, skipped: Bool) {
    guard let skip else { return try run(buffer, maxDepth: maxDepth, skip: nil) }
    // The hook is stored in the cursor only for the parse: not escaping, so no heap context.
    return try withoutActuallyEscaping(skip) { hook in
      Result { () throws(JSONError) in try run(buffer, maxDepth: maxDepth, skip: hook) }
    }.get()
  }

  private static func run(
    _ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int, skip: ((String, ArraySlice<JSONMember>) -> Bool)?
  ) throws(JSONError) -> (value: JSONValue, skipped: Bool) {
    var parser = Cursor(buffer: buffer, maxDepth: maxDepth)
    parser.skipTopLevel = skip
    parser.skipWhitespace()
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    if parser.position != buffer.count { throw JSONError(.trailingData, at: parser.position) }
    return (value, parser.skippedAny)
  }
}

private struct Cursor {
  let buffer: UnsafeBufferPointer<UInt8>
  let maxDepth: Int
  var position = 0
  var skipTopLevel: ((String, ArraySlice<JSONMember>) -> Bool)?
  var skippedAny = false
  /// Members and elements of the objects and arrays being parsed, stacked: each container is
  /// copied out once, at its exact size, instead of growing its own array step by step.
  var members: [JSONMember] = []
  var elements: [JSONValue] = []

  init(buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
    self.buffer = buffer
    self.maxDepth = maxDepth
  }

  @inline(__always) mutating func skipWhitespace() {
    while position < buffer.count {
      switch buffer[position] {
      case 0x20, 0x0A, 0x0D, 0x09: position += 1
      default: return
      }
    }
  }

  /// With `build` false the value is only validated (same checks, same errors) and `.null` is
  /// returned: skipped members cost no allocations for their strings, arrays and objects.
  mutating func parseValue(depth: Int, build: Bool = true) throws(JSONError) -> JSONValue {
    guard position < buffer.count else { throw JSONError(.unexpectedEnd, at: position) }
    switch buffer[position] {
    case UInt8(ascii: "{"): return try parseObject(depth: depth + 1, build: build)
    case UInt8(ascii: "["): return try parseArray(depth: depth + 1, build: build)
    case UInt8(ascii: "\""): return try parseString(build: build).map { .string($0) } ?? .null
    case UInt8(ascii: "t"): try expectLiteral("true"); return build ? .bool(true) : .null
    case UInt8(ascii: "f"): try expectLiteral("false"); return build ? .bool(false) : .null
    case UInt8(ascii: "n"): try expectLiteral("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      let number = try parseNumber()
      return build ? .number(number) : .null
    default: throw JSONError(.unexpectedByte(buffer[position]), at: position)
    }
  }

  mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
    let count = literal.utf8CodeUnitCount
    guard position + count <= buffer.count else { throw JSONError(.unexpectedEnd, at: buffer.count) }
    let pointer = literal.utf8Start
    for i in 0..<count where buffer[position + i] != pointer[i] {
      throw JSONError(.unexpectedByte(buffer[position + i]), at: position + i)
    }
    position += count
  }

  mutating func parseObject(depth: Int, build: Bool) throws(JSONError) -> JSONValue {
    if depth > maxDepth { throw JSONError(.tooDeep(limit: maxDepth), at: position) }
    position += 1
    // Keys are kept when only validating too: duplicate keys are an error at any depth.
    let base = members.count
    defer { members.removeLast(members.count - base) }
    skipWhitespace()
    if position < buffer.count, buffer[position] == UInt8(ascii: "}") {
      position += 1
      return build ? .object(JSONObject([], parsedKeyCount: 0)) : .null
    }
    var seen: Set<KeyBytes>? = nil
    while true {
      skipWhitespace()
      guard position < buffer.count else { throw JSONError(.unexpectedEnd, at: position) }
      guard buffer[position] == UInt8(ascii: "\"") else {
        throw JSONError(.unexpectedByte(buffer[position]), at: position)
      }
      let keyOffset = position
      let key = try parseString(build: true)!
      // Small objects: a linear scan beats hashing; large ones switch to a set.
      let count = members.count - base
      // The same key means the same bytes, as JSON names compare (String's `==` would also
      // equate canonically equivalent spellings such as "é" and "e\u0301").
      if count < 32 {
        // Lengths first (keyEquals): most keys differ in length, and comparing two long keys
        // as Strings is not cheap.
        var bytes = key
        let repeated = bytes.withUTF8 { bytes in
          members[base...].contains { JSONObject.keyEquals($0.key, bytes, length: bytes.count) }
        }
        if repeated { throw JSONError(.duplicateKey(key), at: keyOffset) }
      } else {
        // Hashed and compared by bytes: a set of Strings would equate equivalent spellings, and
        // checking those by a scan made crafted keys quadratic.
        if seen == nil { seen = Set(members[base...].map { KeyBytes($0.key) }) }
        if !seen!.insert(KeyBytes(key)).inserted { throw JSONError(.duplicateKey(key), at: keyOffset) }
      }
      skipWhitespace()
      guard position < buffer.count else { throw JSONError(.unexpectedEnd, at: position) }
      guard buffer[position] == UInt8(ascii: ":") else {
        throw JSONError(.unexpectedByte(buffer[position]), at: position)
      }
      position += 1
      skipWhitespace()
      var buildValue = build
      if build, depth == 1, let skip = skipTopLevel, skip(key, members[base...]) {
        buildValue = false
        skippedAny = true
      }
      let value = try parseValue(depth: depth, build: buildValue)
      members.append(JSONMember(key, value))
      skipWhitespace()
      guard position < buffer.count else { throw JSONError(.unexpectedEnd, at: position) }
      switch buffer[position] {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "}"):
        position += 1
        return build ? .object(JSONObject(Array(members[base...]), parsedKeyCount: members.count - base)) : .null
      default: throw JSONError(.unexpectedByte(buffer[position]), at: position)
      }
    }
  }

  mutating func parseArray(depth: Int, build: Bool) throws(JSONError) -> JSONValue {
    if depth > maxDepth { throw JSONError(.tooDeep(limit: maxDepth), at: position) }
    position += 1
    let base = elements.count
    defer { if build { elements.removeLast(elements.count - base) } }
    skipWhitespace()
    if position < buffer.count, buffer[position] == UInt8(ascii: "]") {
      position += 1
      return build ? .array([]) : .null
    }
    while true {
      skipWhitespace()
      let element = try parseValue(depth: depth, build: build)
      if build { elements.append(element) }
      skipWhitespace()
      guard position < buffer.count else { throw JSONError(.unexpectedEnd, at: position) }
      switch buffer[position] {
      case UInt8(ascii: ","): position += 1
      case UInt8(ascii: "]"):
        position += 1
        return build ? .array(Array(elements[base...])) : .null
      default: throw JSONError(.unexpectedByte(buffer[position]), at: position)
      }
    }
  }

  mutating func parseNumber() throws(JSONError) -> JSONNumber {
    let start = position
    if buffer[position] == UInt8(ascii: "-") { position += 1 }
    guard position < buffer.count else { throw JSONError(.invalidNumber, at: start) }
    if buffer[position] == UInt8(ascii: "0") {
      position += 1
    } else if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(buffer[position]) {
      while position < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[position]) { position += 1 }
    } else {
      throw JSONError(.invalidNumber, at: start)
    }
    if position < buffer.count, buffer[position] == UInt8(ascii: ".") {
      position += 1
      let digitsStart = position
      while position < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[position]) { position += 1 }
      if position == digitsStart { throw JSONError(.invalidNumber, at: start) }
    }
    if position < buffer.count, buffer[position] == UInt8(ascii: "e") || buffer[position] == UInt8(ascii: "E") {
      position += 1
      if position < buffer.count, buffer[position] == UInt8(ascii: "+") || buffer[position] == UInt8(ascii: "-") { position += 1 }
      let digitsStart = position
      while position < buffer.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[position]) { position += 1 }
      if position == digitsStart { throw JSONError(.invalidNumber, at: start) }
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<position]), as: UTF8.self)
    return JSONNumber(text: text)
  }

  /// The decoded string, or nil (after the same checks) when not building.
  mutating func parseString(build: Bool) throws(JSONError) -> String? {
    position += 1
    let start = position
    // Fast path: no escapes.
    while position < buffer.count {
      let byte = buffer[position]
      if byte == UInt8(ascii: "\"") {
        let s = build ? String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<position]), as: UTF8.self) : nil
        position += 1
        return s
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw JSONError(.controlCharacterInString, at: position) }
      position += 1
    }
    guard position < buffer.count else { throw JSONError(.unexpectedEnd, at: position) }
    var bytes = build ? Array(UnsafeBufferPointer(rebasing: buffer[start..<position])) : []
    while position < buffer.count {
      let byte = buffer[position]
      switch byte {
      case UInt8(ascii: "\""):
        position += 1
        return build ? String(decoding: bytes, as: UTF8.self) : nil
      case UInt8(ascii: "\\"):
        position += 1
        guard position < buffer.count else { throw JSONError(.unexpectedEnd, at: position) }
        let escape = buffer[position]
        position += 1
        let decoded: UInt8
        switch escape {
        case UInt8(ascii: "\""): decoded = 0x22
        case UInt8(ascii: "\\"): decoded = 0x5C
        case UInt8(ascii: "/"): decoded = 0x2F
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"):
          let scalar = try unicodeEscape()
          if build { bytes.append(contentsOf: String(Character(scalar)).utf8) }
          continue
        default: throw JSONError(.invalidEscape, at: position - 2)
        }
        if build { bytes.append(decoded) }
      default:
        if byte < 0x20 { throw JSONError(.controlCharacterInString, at: position) }
        if build { bytes.append(byte) }
        position += 1
      }
    }
    throw JSONError(.unexpectedEnd, at: position)
  }

  mutating func readHex4() throws(JSONError) -> UInt32 {
    guard position + 4 <= buffer.count else { throw JSONError(.unexpectedEnd, at: buffer.count) }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let c = buffer[position]
      let digit: UInt32
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
      default: throw JSONError(.invalidUnicodeEscape, at: position)
      }
      value = value << 4 | digit
      position += 1
    }
    return value
  }

  /// Decodes `\uXXXX`, joining surrogate pairs; a lone surrogate becomes U+FFFD, as Jackson would
  /// keep it unpaired but it cannot be represented in a Swift string.
  mutating func unicodeEscape() throws(JSONError) -> Unicode.Scalar {
    var scalarValue = try readHex4()
    if (0xD800...0xDBFF).contains(scalarValue) {
      if position + 6 <= buffer.count, buffer[position] == UInt8(ascii: "\\"), buffer[position + 1] == UInt8(ascii: "u") {
        let saved = position
        position += 2
        let low = try readHex4()
        if (0xDC00...0xDFFF).contains(low) {
          scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
        } else {
          position = saved
          scalarValue = 0xFFFD
        }
      } else {
        scalarValue = 0xFFFD
      }
    } else if (0xDC00...0xDFFF).contains(scalarValue) {
      scalarValue = 0xFFFD
    }
    return Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
  }
}

/// An object key as its bytes, for the duplicate check of large objects.
private struct KeyBytes: Hashable {
  let key: String
  init(_ key: String) { self.key = key }

  func hash(into hasher: inout Hasher) {
    var key = key
    key.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
  }

  static func == (a: KeyBytes, b: KeyBytes) -> Bool {
    var b = b.key
    return b.withUTF8 { JSONObject.keyEquals(a.key, $0, length: $0.count) }
  }
}
