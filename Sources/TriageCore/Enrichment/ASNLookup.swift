/// Any source of IP-to-ASN answers (MaxMind-format database or ip2asn table), so the enricher and
/// the rules do not care which one the user had at hand.
public protocol ASNLookup: Sendable {
  /// nil for addresses the source does not cover (private, unrouted, unparsable).
  func asn(for address: String) throws(EnrichmentError) -> ASNInfo?
  /// Where the answers come from, for the run summary.
  var databaseDescription: String { get }
}
