/// Renders a parsed JSON value the way Elasticsearch's ingest pipeline prints it: Java
/// `HashMap.toString()` / `ArrayList.toString()` of the values its `json` processor builds.
///
/// Key order is a HashMap's bucket order, not document order: bucket = spread(hashCode(key)) &
/// (tableSize - 1), where the table was sized from the number of keys the object had when parsed
/// (pruning later removes keys but never shrinks a HashMap). Example: the keys `roleArn`,
/// `roleSessionName`, `durationSeconds` print as `{durationSeconds=3600, roleArn=…, roleSessionName=…}`.
public enum JavaMapRenderer {
  public static func render(_ value: JSONValue) -> String {
    var out = ""
    append(value, to: &out)
    return out
  }

  static func append(_ value: JSONValue, to out: inout String) {
    switch value {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .string(let s): out += s
    case .number(let n): out += javaNumber(n)
    case .array(let elements):
      out += "["
      for (i, element) in elements.enumerated() {
        if i > 0 { out += ", " }
        append(element, to: &out)
      }
      out += "]"
    case .object(let object):
      out += "{"
      for (i, member) in hashMapOrder(object).enumerated() {
        if i > 0 { out += ", " }
        out += member.key
        out += "="
        append(member.value, to: &out)
      }
      out += "}"
    }
  }

  /// Java's table size for a map that received `count` keys: 16, doubled while count > 0.75 × size.
  static func tableSize(forKeyCount count: Int) -> Int {
    var size = 16
    while Double(count) > 0.75 * Double(size) { size *= 2 }
    return size
  }

  /// `String.hashCode()`: 31-based polynomial over UTF-16 code units, 32-bit wrap-around.
  static func javaHashCode(_ key: String) -> Int32 {
    var h: Int32 = 0
    for unit in key.utf16 { h = 31 &* h &+ Int32(unit) }
    return h
  }

  static func bucket(_ key: String, tableSize: Int) -> Int {
    let h = UInt32(bitPattern: javaHashCode(key))
    let spread = h ^ (h >> 16)
    return Int(spread) & (tableSize - 1)
  }

  /// Members in HashMap iteration order: ascending bucket, insertion order within a bucket.
  static func hashMapOrder(_ object: JSONObject) -> [JSONMember] {
    let size = tableSize(forKeyCount: max(object.parsedKeyCount, object.members.count))
    let keyed = object.members.enumerated().map { (bucket: bucket($0.element.key, tableSize: size), index: $0.offset, member: $0.element) }
    return keyed.sorted { ($0.bucket, $0.index) < ($1.bucket, $1.index) }.map(\.member)
  }

  /// Integers print as parsed (Integer/Long/BigInteger); anything with a fraction or exponent is a
  /// Double and prints with `Double.toString`.
  static func javaNumber(_ number: JSONNumber) -> String {
    if !number.isFloatingPoint {
      var digits = Substring(number.text)
      var negative = false
      if digits.hasPrefix("-") {
        negative = true
        digits = digits.dropFirst()
      }
      let trimmed = digits.drop { $0 == "0" }
      if trimmed.isEmpty { return "0" }
      return (negative ? "-" : "") + trimmed
    }
    guard let value = Double(number.text) else { return number.text }
    return javaDoubleString(value)
  }

  /// Java's `Double.toString` (JDK 19+: shortest digits that round-trip): plain notation with at
  /// least one fraction digit for 1e-3 ≤ |d| < 1e7, otherwise `d.dddE±n` without a `+`.
  public static func javaDoubleString(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
    if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
    let (digits, exponent) = shortestDigits(abs(value))
    let sign = value < 0 ? "-" : ""
    let magnitude = abs(value)
    if magnitude >= 1e-3 && magnitude < 1e7 {
      // exponent: value = 0.d1d2… × 10^exponent
      if exponent <= 0 {
        return sign + "0." + String(repeating: "0", count: -exponent) + digits
      }
      if exponent >= digits.count {
        return sign + digits + String(repeating: "0", count: exponent - digits.count) + ".0"
      }
      let split = digits.index(digits.startIndex, offsetBy: exponent)
      return sign + digits[..<split] + "." + digits[split...]
    }
    let first = digits.prefix(1)
    let rest = digits.dropFirst()
    return sign + first + "." + (rest.isEmpty ? "0" : rest) + "E" + String(exponent - 1)
  }

  /// The shortest round-tripping decimal digits of a positive finite double and the exponent `e`
  /// with value = 0.digits × 10^e, read off Swift's own shortest representation.
  static func shortestDigits(_ value: Double) -> (String, Int) {
    let text = "\(value)"  // e.g. "1234.5", "1e-05", "1.5e+20"
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<e]
      exponent = Int(text[text.index(after: e)...]) ?? 0
    }
    var integerPart = mantissa
    var fraction: Substring = ""
    if let dot = mantissa.firstIndex(of: ".") {
      integerPart = mantissa[..<dot]
      fraction = mantissa[mantissa.index(after: dot)...]
    }
    var digits = String(integerPart) + fraction
    var pointPosition = integerPart.count + exponent
    while digits.hasPrefix("0") && digits.count > 1 {
      digits.removeFirst()
      pointPosition -= 1
    }
    while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
    return (digits, pointPosition)
  }
}
