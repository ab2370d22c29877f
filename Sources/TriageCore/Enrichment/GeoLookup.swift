/// A source of `source.geo.*` answers (a City-layout MaxMind database).
public protocol GeoLookup: Sendable {
  /// nil for addresses the database does not cover.
  func geo(for address: String) throws(EnrichmentError) -> GeoInfo?
  var databaseDescription: String { get }
}
