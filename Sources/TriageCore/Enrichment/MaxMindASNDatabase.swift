/// ASN answers from a GeoLite2-ASN, DB-IP ASN or GeoIP2-ISP database (all three store
/// `autonomous_system_number` and `autonomous_system_organization` at the top of the record).
public struct MaxMindASNDatabase: ASNLookup {
  public let database: MaxMindDatabase

  /// Opens `path` and checks its type, so a City database given as the ASN database is reported
  /// up front instead of silently yielding no ASN for every event.
  public init(path: String) throws(EnrichmentError) {
    try self.init(database: MaxMindDatabase(path: path))
  }

  public init(database: MaxMindDatabase) throws(EnrichmentError) {
    guard MaxMindDatabaseKind(databaseType: database.metadata.databaseType) == .asn else {
      throw .wrongDatabaseKind(path: database.path, databaseType: database.metadata.databaseType,
                               expected: "an ASN or ISP database")
    }
    self.database = database
  }

  public func asn(for address: String) throws(EnrichmentError) -> ASNInfo? {
    guard let record = try database.record(for: address) else { return nil }
    return Self.asnInfo(from: record)
  }

  public var databaseDescription: String { MaxMindDatabaseKind.describe(database) }

  /// Elastic writes the number only when present; the organization is optional on its own
  /// (the ASN test database has networks with a number and no organization).
  static func asnInfo(from record: MaxMindValue) -> ASNInfo? {
    guard let number = record["autonomous_system_number"]?.intValue else { return nil }
    return ASNInfo(number: number, organization: record["autonomous_system_organization"]?.stringValue)
  }
}
