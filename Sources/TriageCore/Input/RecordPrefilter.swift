import CSupport
#if canImport(Glibc)
import Glibc
#endif

/// Byte-level checks that run before any parsing. Both rules need `event.provider ==
/// lambda.amazonaws.com`, so a record whose bytes do not contain that name cannot match and is
/// not parsed at all: on a real trail that is almost every record.
enum RecordPrefilter {
  private static let lambda = Array("lambda.amazonaws.com".utf8)
  /// Kibana alert documents (dotted `"kibana.alert.…"` or nested `"kibana":{…}` keys) of any rule.
  private static let kibanaAlert = Array("\"kibana".utf8)
  /// A JSON escape could spell the provider name without its plain bytes; such records are parsed.
  private static let unicodeEscape = Array("\\u".utf8)
  private static let hits = Array("\"hits\"".utf8)
  private static let eventTimeKey = Array("\"eventTime\"".utf8)
  private static let timestampKey = Array("\"@timestamp\"".utf8)

  private static let eventSourceKey = Array("\"eventSource\"".utf8)
  private static let eventNameKey = Array("\"eventName\"".utf8)
  /// The `event.action` prefixes the rules test: rule A's EQL `:` is case-insensitive; rule B's
  /// KQL `Invoke*` is case-sensitive, and a case-insensitive test is a safe superset of it.
  private static let actionPrefixes = ["createfunctionurlconfig", "updatefunctionurlconfig", "invoke"].map { Array($0.utf8) }

  /// False only when the record provably cannot match a rule. A raw CloudTrail record names its
  /// service in `eventSource`, near the start: reading that one value avoids scanning the rest.
  /// Anything else (ECS documents, alerts, odd spellings) falls back to substring checks.
  static func mayMatchRules(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    if let key = find(bytes, eventSourceKey) {
      var i = key + eventSourceKey.count
      while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
      if i < bytes.count, bytes[i] == UInt8(ascii: ":") {
        i += 1
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
          let start = i + 1
          var end = start
          while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") { end += 1 }
          if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            guard end - start == lambda.count && memcmp(bytes.baseAddress! + start, lambda, lambda.count) == 0 else { return false }
            return mayBeRuleAction(bytes)
          }
        }
      }
    }
    return contains(bytes, lambda) || contains(bytes, kibanaAlert) || contains(bytes, unicodeEscape) || contains(bytes, hits)
  }

  /// A Lambda record's `eventName` can only matter when it starts like an action the rules test
  /// (most Lambda management calls, such as GetFunction or ListFunctions, cannot). Anything not
  /// plainly readable (escapes, no name) is let through to the parser.
  static func mayBeRuleAction(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let key = find(bytes, eventNameKey) else { return true }
    var i = key + eventNameKey.count
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return true }
    i += 1
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return true }
    let start = i + 1
    var end = start
    while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") { end += 1 }
    guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return true }
    return actionPrefixes.contains { prefix in
      guard end - start >= prefix.count else { return false }
      for k in 0..<prefix.count where bytes[start + k] | 0x20 != prefix[k] { return false }
      return true
    }
  }

  static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
    find(bytes, needle) != nil
  }

  static func find(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Int? {
    guard let base = bytes.baseAddress, bytes.count >= needle.count else { return nil }
    return needle.withUnsafeBytes { n -> Int? in
      guard let hit = lt_memmem(base, bytes.count, n.baseAddress, n.count) else { return nil }
      return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
    }
  }

  /// The event time of an unparsed record (CloudTrail `eventTime` or ECS `@timestamp`), found by
  /// scanning, so skipped records still count for the run's time span.
  static func eventTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    if let t = time(after: eventTimeKey, in: bytes) { return t }
    return time(after: timestampKey, in: bytes)
  }

  private static func time(after key: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard var i = find(bytes, key) else { return nil }
    i += key.count
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == UInt8(ascii: ":") { i += 1 }
    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
    let start = i + 1
    var end = start
    while end < bytes.count, bytes[end] != UInt8(ascii: "\""), end - start < 40 { end += 1 }
    return Timestamp.parseMillis(bytes: UnsafeBufferPointer(rebasing: bytes[start..<end]))
  }
}
