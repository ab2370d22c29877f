/// What a MaxMind-format database holds, judged from its metadata `database_type` rather than its
/// file name, since DB-IP and renamed downloads do not follow MaxMind's naming.
public enum MaxMindDatabaseKind: Sendable, Equatable {
  case asn
  case city
  case other

  public init(databaseType: String) {
    let type = databaseType.lowercased()
    // DB-IP labels its files e.g. "DBIP-ASN-Lite (compat=GeoLite2-ASN)"; GeoIP2-ISP carries the
    // same ASN fields as GeoLite2-ASN.
    if type.contains("asn") || type.contains("isp") {
      self = .asn
    } else if type.contains("city") || type.contains("enterprise") {
      self = .city
    } else {
      self = .other
    }
  }

  static func describe(_ database: MaxMindDatabase) -> String {
    let date = database.metadata.buildDate ?? "unknown"
    return "\(database.path) (MaxMind DB \(database.metadata.databaseType), built \(date))"
  }
}
