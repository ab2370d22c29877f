/// ISO 8601 timestamps to and from epoch milliseconds, by hand: the hot path cannot afford a
/// Foundation formatter per record, and Elastic's output format is fixed
/// (`yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`).
public enum Timestamp {
  /// Parses `2026-11-05T10:00:00Z`, with optional fraction (any precision, truncated to ms) and
  /// `Z` or `±HH:MM` / `±HHMM`. Returns nil for anything else.
  public static func parseMillis(_ text: String) -> Int64? {
    if let result = text.utf8.withContiguousStorageIfAvailable({ parseMillis(bytes: $0) }) { return result }
    return Array(text.utf8).withUnsafeBufferPointer { parseMillis(bytes: $0) }
  }

  public static func parseMillis(bytes b: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard let minute = minuteMillis(b), let rest = millisInMinute(b) else { return nil }
    return minute + rest
  }

  /// The start of the minute `yyyy-MM-ddTHH:mm` (the first 16 bytes) names, in UTC; nil unless
  /// the text is long enough for a whole timestamp and those bytes are valid.
  static func minuteMillis(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard b.count >= 19,
      let year = digits(b, 0, 4), b[4] == UInt8(ascii: "-"),
      let month = digits(b, 5, 2), b[7] == UInt8(ascii: "-"),
      let day = digits(b, 8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
      let hour = digits(b, 11, 2), b[13] == UInt8(ascii: ":"),
      let minute = digits(b, 14, 2),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60
    else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    return (Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60)) * 1000
  }

  /// What the rest of the text, from byte 16 (`:ss`, an optional fraction, the zone), adds to
  /// `minuteMillis`: seconds, milliseconds, minus the zone's offset. Nil when it is malformed.
  static func millisInMinute(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
    // CloudTrail's own form, `:ssZ` to the end, read without the general path below.
    if b.count == 20, b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "Z"), let second = digits(b, 17, 2), second < 61 {
      return Int64(second) * 1000
    }
    guard b.count >= 19, b[16] == UInt8(ascii: ":"), let second = digits(b, 17, 2), second < 61 else { return nil }
    var i = 19
    var millis = 0
    if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
      i += 1
      var scale = 100
      let fractionStart = i
      while i < b.count, (48...57).contains(b[i]) {
        millis += (Int(b[i]) - 48) * scale
        scale /= 10
        i += 1
      }
      if i == fractionStart { return nil }
    }
    var offsetSeconds = 0
    if i < b.count {
      switch b[i] {
      case UInt8(ascii: "Z"), UInt8(ascii: "z"):
        i += 1
      case UInt8(ascii: "+"), UInt8(ascii: "-"):
        let sign = b[i] == UInt8(ascii: "+") ? 1 : -1
        guard let oh = digits(b, i + 1, 2) else { return nil }
        var j = i + 3
        if j < b.count, b[j] == UInt8(ascii: ":") { j += 1 }
        guard let om = digits(b, j, 2) else { return nil }
        offsetSeconds = sign * (oh * 3600 + om * 60)
        i = j + 2
      default: return nil
      }
    }
    guard i == b.count else { return nil }
    return Int64(second - offsetSeconds) * 1000 + Int64(millis)
  }

  // Inlined: this runs for every record the pre-filter skips (its time still counts).
  @inline(__always) private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ count: Int) -> Int? {
    guard from + count <= b.count else { return nil }
    var value = 0
    for i in from..<(from + count) {
      let d = Int(b[i]) - 48
      guard d >= 0 && d <= 9 else { return nil }
      value = value * 10 + d
    }
    return value
  }

  /// `2026-11-05T10:00:00.000Z`. Written digit by digit into the string's own storage: every
  /// mapped event gets one, and interpolating padded pieces cost a string per piece.
  public static func format(millis: Int64) -> String {
    let totalSeconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
    let ms = Int(millis - totalSeconds * 1000)
    let days = totalSeconds >= 0 ? totalSeconds / 86_400 : (totalSeconds - 86_399) / 86_400
    let secondsOfDay = Int(totalSeconds - days * 86_400)
    let (y, m, d) = civilFromDays(Int(days))
    // Years outside 0...9999 keep the general (rare) path: sign and width vary.
    guard (0...9999).contains(y) else {
      func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
      }
      return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2)).\(pad(ms, 3))Z"
    }
    return String(unsafeUninitializedCapacity: 24) { out in
      func put(_ value: Int, _ width: Int, at offset: Int) {
        var v = value
        for k in stride(from: offset + width - 1, through: offset, by: -1) {
          out[k] = UInt8(48 + v % 10)
          v /= 10
        }
      }
      put(y, 4, at: 0)
      out[4] = UInt8(ascii: "-")
      put(m, 2, at: 5)
      out[7] = UInt8(ascii: "-")
      put(d, 2, at: 8)
      out[10] = UInt8(ascii: "T")
      put(secondsOfDay / 3600, 2, at: 11)
      out[13] = UInt8(ascii: ":")
      put(secondsOfDay / 60 % 60, 2, at: 14)
      out[16] = UInt8(ascii: ":")
      put(secondsOfDay % 60, 2, at: 17)
      out[19] = UInt8(ascii: ".")
      put(ms, 3, at: 20)
      out[23] = UInt8(ascii: "Z")
      return 24
    }
  }

  // Howard Hinnant's civil-calendar algorithms (public-domain date arithmetic).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
  }
}
