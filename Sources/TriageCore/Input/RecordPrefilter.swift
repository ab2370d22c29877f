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

  /// What the pre-filter decided about one record.
  struct Verdict {
    /// The record cannot match a rule: it is not parsed.
    let skip: Bool
    /// For a skipped record, its event time (so it still counts for the run's time span): the
    /// first `eventTime` value, else the first `@timestamp` (ECS), found by scanning.
    let time: Int64?
  }

  /// Whether to skip a record, and the time of one it skips, from one pass over the record's
  /// `"event…` keys: a raw CloudTrail record names its time, service and action (`eventTime`,
  /// `eventSource`, `eventName`) within its first few hundred bytes, so the rest is not read.
  /// Each key is taken at its first occurrence, as the separate searches would find it.
  static func verdict(_ bytes: UnsafeBufferPointer<UInt8>) -> Verdict {
    var times = TimestampStream()
    return verdict(bytes, times: &times)
  }

  /// `verdict(_:)` for one record of a stream, whose times `times` reads.
  static func verdict(_ bytes: UnsafeBufferPointer<UInt8>, times: inout TimestampStream) -> Verdict {
    guard let base = bytes.baseAddress else { return Verdict(skip: true, time: nil) }
    let keys = lt_event_keys(base, bytes.count)
    func skipped() -> Verdict {
      if keys.time >= 0, let t = time(at: keys.time + eventTimeKey.count, in: bytes, times: &times) { return Verdict(skip: true, time: t) }
      return Verdict(skip: true, time: time(after: timestampKey, in: bytes, times: &times))
    }
    let parse = Verdict(skip: false, time: nil)
    guard keys.source >= 0, let value = stringValue(bytes, after: keys.source + eventSourceKey.count) else {
      return mayMatchBySubstrings(bytes) ? parse : skipped()
    }
    guard value.count == lambda.count && memcmp(base + value.lowerBound, lambda, lambda.count) == 0 else { return skipped() }
    guard keys.name >= 0, let action = stringValue(bytes, after: keys.name + eventNameKey.count) else { return parse }
    return isRuleAction(bytes, action) ? parse : skipped()
  }

  /// The bytes of a plain string value (no escapes) after a key ending at `offset`; nil when the
  /// value is anything else.
  private static func stringValue(_ bytes: UnsafeBufferPointer<UInt8>, after offset: Int) -> Range<Int>? {
    var i = offset
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
    i += 1
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
    let start = i + 1
    // The closing quote, and no backslash before it (memchr: this runs for every record).
    guard let base = bytes.baseAddress, let quote = memchr(base + start, 0x22, bytes.count - start) else { return nil }
    let end = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(quote))
    guard memchr(base + start, 0x5C, end - start) == nil else { return nil }
    return start..<end
  }

  private static func isRuleAction(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Range<Int>) -> Bool {
    actionPrefixes.contains { prefix in
      guard value.count >= prefix.count else { return false }
      for k in 0..<prefix.count where bytes[value.lowerBound + k] | 0x20 != prefix[k] { return false }
      return true
    }
  }

  private static func mayMatchBySubstrings(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    contains(bytes, lambda) || contains(bytes, kibanaAlert) || contains(bytes, unicodeEscape) || contains(bytes, hits)
  }

  /// False only when the record provably cannot match a rule: a raw Lambda record whose
  /// `eventName` cannot start like an action the rules test (most management calls, such as
  /// GetFunction), or a raw record of another service. Anything not plainly readable (escapes,
  /// no name, ECS documents, alerts) falls back to substring checks or is let through.
  static func mayMatchRules(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    !verdict(bytes).skip
  }

  static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
    find(bytes, needle) != nil
  }

  static func find(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Int? {
    guard let base = bytes.baseAddress, bytes.count >= needle.count else { return nil }
    return needle.withUnsafeBytes { n -> Int? in
      // The pre-filter's own needles are short; longer ones (evidence values) keep glibc's
      // linear-time search.
      let found = n.count <= 32
        ? lt_find_short(base, bytes.count, n.baseAddress, n.count)
        : lt_memmem(base, bytes.count, n.baseAddress, n.count)
      guard let hit = found else { return nil }
      return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
    }
  }

  private static func time(after key: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, times: inout TimestampStream) -> Int64? {
    guard let i = find(bytes, key) else { return nil }
    return time(at: i + key.count, in: bytes, times: &times)
  }

  /// The time in the string value after a key that ends at `offset`.
  private static func time(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>, times: inout TimestampStream) -> Int64? {
    var i = offset
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == UInt8(ascii: ":") { i += 1 }
    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
    let start = i + 1
    // Up to the closing quote or 40 bytes, whichever comes first.
    let window = min(40, bytes.count - start)
    let end = memchr(bytes.baseAddress! + start, 0x22, window).map { UnsafeRawPointer(bytes.baseAddress!).distance(to: UnsafeRawPointer($0)) } ?? start + window
    return times.parseMillis(UnsafeBufferPointer(rebasing: bytes[start..<end]))
  }
}
