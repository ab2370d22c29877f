/// What Elastic's geoip processor reports for an ASN database: the number (`source.as.number`)
/// and, when the database has one, the organization (`source.as.organization.name`).
public struct ASNInfo: Sendable, Equatable, Hashable {
  public var number: Int
  public var organization: String?

  public init(number: Int, organization: String?) {
    self.number = number
    self.organization = organization
  }
}
