import CSupport

/// What the evidence index files an event under: who (principal ARN, access key), from where
/// (address) and on what (Lambda function), and when.
public struct EvidenceKeys: Sendable, Equatable {
  public var millis: Int64
  public var principalARN: String?
  public var accessKeyID: String?
  public var address: String?
  public var functionName: String?

  public init(millis: Int64, principalARN: String? = nil, accessKeyID: String? = nil, address: String? = nil, functionName: String? = nil) {
    self.millis = millis
    self.principalARN = principalARN
    self.accessKeyID = accessKeyID
    self.address = address
    self.functionName = functionName
  }

  /// The keys of a mapped ECS event, read from the same fields `RelatedEvent` uses, so an indexed
  /// event is found by exactly the values the evidence compares.
  init?(document: JSONObject) {
    guard let time = document[path: "@timestamp"]?.keywordText, let millis = Timestamp.parseMillis(time) else { return nil }
    let related = RelatedEvent.keys(of: document)
    self.init(millis: millis, principalARN: related.principalARN, accessKeyID: related.accessKeyID, address: related.sourceIP, functionName: related.functionName)
  }
}

/// An event as the reader hands it to the index: keys from a mapped document, or byte ranges in
/// the raw record (valid during the callback).
enum EvidenceEntry {
  case keys(EvidenceKeys)
  case raw(RawRecordKeys.Found, UnsafeBufferPointer<UInt8>)
}

/// Reads an index entry straight from a raw CloudTrail record's bytes, without parsing it: the
/// record's top-level members are walked (values skipped by the scanner) until `eventTime`,
/// `eventSource`, `sourceIPAddress` and `userIdentity` are seen, which AWS writes before the
/// bulky parameters. Anything it cannot read plainly returns nil and the caller parses the record,
/// so the shortcut never decides what an event means.
public enum RawRecordKeys {
  private static let lambda = Array("lambda.amazonaws.com".utf8)

  /// Where the values are in the record.
  struct Found {
    var millis: Int64 = 0
    var principalARN: Range<Int>?
    var accessKeyID: Range<Int>?
    var address: Range<Int>?

    func keys(in bytes: UnsafeBufferPointer<UInt8>) -> EvidenceKeys {
      func text(_ range: Range<Int>?) -> String? { range.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) } }
      return EvidenceKeys(millis: millis, principalARN: text(principalARN), accessKeyID: text(accessKeyID), address: text(address))
    }
  }

  static func extract(_ bytes: UnsafeBufferPointer<UInt8>) -> Found? {
    let start = skipSpace(bytes, 0)
    guard start < bytes.count, bytes[start] == UInt8(ascii: "{") else { return nil }
    var millis: Int64?
    var sawSource = false
    var sawAddress = false
    var sawIdentity = false
    var keys = Found()
    let complete = members(bytes, from: start) { name, i in
      if equals(bytes, name, "eventTime") {
        guard let value = plainString(bytes, i), let t = Timestamp.parseMillis(bytes: UnsafeBufferPointer(rebasing: bytes[value])) else { return .fail }
        millis = t
      } else if equals(bytes, name, "eventSource") {
        // Lambda records carry the function name deep in their parameters: they are parsed.
        guard let value = plainString(bytes, i), !equals(bytes, value, lambda) else { return .fail }
        sawSource = true
      } else if equals(bytes, name, "sourceIPAddress") {
        // The mapping reads only a string here; anything else leaves no address.
        if bytes[i] == UInt8(ascii: "\"") {
          guard let value = plainString(bytes, i) else { return .fail }
          keys.address = value.isEmpty ? nil : value
        }
        sawAddress = true
      } else if equals(bytes, name, "userIdentity") {
        if bytes[i] == UInt8(ascii: "{") {
          guard identity(bytes, from: i, into: &keys) else { return .fail }
        }
        sawIdentity = true
      }
      return millis != nil && sawSource && sawAddress && sawIdentity ? .stop : .next
    }
    guard complete, let millis, sawSource else { return nil }
    keys.millis = millis
    return keys
  }

  /// `arn` and `accessKeyId` among `userIdentity`'s own members (not the session issuer's).
  private static func identity(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into keys: inout Found) -> Bool {
    members(bytes, from: start) { name, i in
      let isARN = equals(bytes, name, "arn")
      guard isARN || equals(bytes, name, "accessKeyId") else { return .next }
      // The mapping copies these as they are: a number or object would become text there.
      if isNull(bytes, i) { return .next }
      guard let value = plainString(bytes, i) else { return .fail }
      let text = value.isEmpty ? nil : value
      if isARN { keys.principalARN = text } else { keys.accessKeyID = text }
      return .next
    }
  }

  enum Step { case next, stop, fail }

  /// Walks the members of the object at `start` (its `{`), calling `visit` with each name's range
  /// and its value's start; values are skipped by the scanner. False when the bytes are not a
  /// plain object or `visit` fails.
  private static func members(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ visit: (Range<Int>, Int) -> Step) -> Bool {
    var i = start + 1
    while true {
      i = skipSpace(bytes, i)
      guard i < bytes.count else { return false }
      if bytes[i] == UInt8(ascii: "}") { return true }
      guard let name = plainString(bytes, i) else { return false }
      i = skipSpace(bytes, name.upperBound + 1)
      guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
      i = skipSpace(bytes, i + 1)
      guard i < bytes.count else { return false }
      switch visit(name, i) {
      case .fail: return false
      case .stop: return true
      case .next: break
      }
      guard case .end(let end) = JSONScanner.endOfValue(in: bytes, from: i) else { return false }
      i = skipSpace(bytes, end)
      guard i < bytes.count else { return false }
      if bytes[i] == UInt8(ascii: ",") { i += 1 } else if bytes[i] != UInt8(ascii: "}") { return false }
    }
  }

  /// The contents of the string starting at `start` (a quote), or nil when it is not a string or
  /// holds an escape (left to the parser, which decodes it exactly).
  private static func plainString(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Range<Int>? {
    guard start < bytes.count, bytes[start] == UInt8(ascii: "\""), let base = bytes.baseAddress else { return nil }
    let end = lt_string_stop(base, start + 1, bytes.count, 1)
    guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
    return (start + 1)..<end
  }

  private static func isNull(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
    i + 4 <= bytes.count && bytes[i] == UInt8(ascii: "n") && bytes[i + 1] == UInt8(ascii: "u") && bytes[i + 2] == UInt8(ascii: "l") && bytes[i + 3] == UInt8(ascii: "l")
  }

  /// For the fuzzer: false when the byte reader files a raw CloudTrail record under a value the
  /// mapping would not give it (the mapping may drop a value the reader keeps, as Elastic prunes
  /// "-" and "none"; the extra candidate is then discarded when the record is read back).
  public static func agreesWithMapping(_ bytes: [UInt8]) -> Bool {
    let found = bytes.withUnsafeBufferPointer { buffer in extract(buffer)?.keys(in: buffer) }
    guard let raw = found, let value = try? JSONParser.parse(bytes), case .cloudTrail(let record) = RecordKind.classify(value) else { return true }
    let document = CloudTrailMapper.map(record, original: nil)
    guard let mapped = EvidenceKeys(document: document) else { return true }
    func same(_ m: String?, _ r: String?) -> Bool { m == nil || m == r }
    return mapped.millis == raw.millis && same(mapped.principalARN, raw.principalARN) && same(mapped.accessKeyID, raw.accessKeyID) && same(mapped.address, raw.address)
  }

  @inline(__always)
  private static func skipSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
    var i = start
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    return i
  }

  private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ text: StaticString) -> Bool {
    bytes.bytes(in: range, equal: text)
  }

  private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ other: [UInt8]) -> Bool {
    guard range.count == other.count else { return false }
    for k in 0..<range.count where bytes[range.lowerBound + k] != other[k] { return false }
    return true
  }
}
