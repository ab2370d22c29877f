/// The metadata fields the run summary and the database classification need.
public struct MaxMindMetadata: Sendable, Equatable {
  /// e.g. `GeoLite2-ASN`, `GeoLite2-City`, `DBIP-ASN-Lite (compat=GeoLite2-ASN)`.
  public var databaseType: String
  public var buildEpoch: UInt64
  /// 4 or 6 (a v6 tree also answers IPv4 lookups).
  public var ipVersion: Int
  public var nodeCount: UInt32
  public var recordSize: Int

  public init(databaseType: String, buildEpoch: UInt64, ipVersion: Int, nodeCount: UInt32, recordSize: Int) {
    self.databaseType = databaseType
    self.buildEpoch = buildEpoch
    self.ipVersion = ipVersion
    self.nodeCount = nodeCount
    self.recordSize = recordSize
  }

  /// `build_epoch` as `YYYY-MM-DD` (UTC), or nil when it lies beyond year 9999: bad-data ships a
  /// database with `UINT64_MAX` there, and a date conversion must not trap on it.
  public var buildDate: String? { Self.isoDate(epochSeconds: buildEpoch) }

  /// Proleptic Gregorian conversion of days since 1970 done with integers only, so it cannot
  /// overflow for any value that passes the range guard and needs no locale or calendar object.
  static func isoDate(epochSeconds: UInt64) -> String? {
    guard epochSeconds <= 253_402_300_799 else { return nil }
    let days = Int(epochSeconds / 86_400)
    // Shift the epoch to 0000-03-01 so leap days fall at the end of each 400-year era's year.
    let shifted = days + 719_468
    let era = shifted / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }
}
