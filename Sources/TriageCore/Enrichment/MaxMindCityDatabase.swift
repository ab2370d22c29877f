/// Geo answers from a GeoLite2-City / GeoIP2-City / DB-IP City database, shaped the way
/// Elastic's geoip processor fills `source.geo` with its default properties.
public struct MaxMindCityDatabase: GeoLookup {
  public let database: MaxMindDatabase

  public init(path: String) throws(EnrichmentError) {
    try self.init(database: MaxMindDatabase(path: path))
  }

  public init(database: MaxMindDatabase) throws(EnrichmentError) {
    guard MaxMindDatabaseKind(databaseType: database.metadata.databaseType) == .city else {
      throw .wrongDatabaseKind(path: database.path, databaseType: database.metadata.databaseType,
                               expected: "a City database")
    }
    self.database = database
  }

  public func geo(for address: String) throws(EnrichmentError) -> GeoInfo? {
    guard let record = try database.record(for: address) else { return nil }
    let info = Self.geoInfo(from: record)
    return info.isEmpty ? nil : info
  }

  public var databaseDescription: String { MaxMindDatabaseKind.describe(database) }

  /// Mirrors the processor: English names (GeoIP2's default locale), the *most specific*
  /// subdivision (the last of `subdivisions`), region ISO code only when both country and
  /// subdivision codes exist, and location only with both coordinates. Time zone, postal code and
  /// the like are not default properties and are left out.
  static func geoInfo(from record: MaxMindValue) -> GeoInfo {
    func englishName(_ value: MaxMindValue?) -> String? { value?["names"]?["en"]?.stringValue }
    let subdivision = record["subdivisions"]?.arrayValue?.last
    let countryISO = record["country"]?["iso_code"]?.stringValue
    var info = GeoInfo()
    info.continentName = englishName(record["continent"])
    info.countryName = englishName(record["country"])
    info.countryISOCode = countryISO
    if let countryISO, let subdivisionISO = subdivision?["iso_code"]?.stringValue {
      info.regionISOCode = "\(countryISO)-\(subdivisionISO)"
    }
    info.regionName = englishName(subdivision)
    info.cityName = englishName(record["city"])
    if let lat = record["location"]?["latitude"]?.doubleValue, let lon = record["location"]?["longitude"]?.doubleValue {
      info.location = (lat, lon)
    }
    return info
  }
}
