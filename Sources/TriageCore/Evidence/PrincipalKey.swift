/// Who an event counts as for "this principal's history". An assumed role's ARN names the session
/// too (`arn:aws:sts::111122223333:assumed-role/etl-role/i-0abc`), and every session has its own
/// name, so history keyed by the whole ARN would find none: the role's sessions are one principal
/// (as rule B's `user.name`, the session issuer's name, treats them).
enum PrincipalKey {
  private static let marker = Array(":assumed-role/".utf8)

  static func of(_ arn: String) -> String {
    var text = arn
    return text.withUTF8 { bytes in
      let kept = range(in: bytes, 0..<bytes.count)
      return kept.count == bytes.count ? arn : String(decoding: UnsafeBufferPointer(rebasing: bytes[kept]), as: UTF8.self)
    }
  }

  static func of(_ arn: String?) -> String? { arn.map { of($0) } }

  /// The part of `bytes[range]` that names the principal: an assumed-role ARN up to its role.
  static func range(in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
    guard let at = RecordPrefilter.find(UnsafeBufferPointer(rebasing: bytes[range]), marker) else { return range }
    let role = range.lowerBound + at + marker.count
    guard let slash = bytes[role..<range.upperBound].firstIndex(of: 0x2F), slash > role else { return range }
    return range.lowerBound..<slash
  }
}
