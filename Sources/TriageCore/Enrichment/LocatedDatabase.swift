/// A database the locator chose, with what the run summary needs to name it.
public struct LocatedDatabase: Sendable {
  public enum Kind: Sendable, Equatable {
    case maxMindASN
    case maxMindCity
    case ip2asnTSV
  }

  public enum Origin: Sendable, Equatable {
    /// Given on the command line (`--asn-db` / `--geo-db`).
    case flag
    /// Named by this environment variable.
    case environment(String)
    /// Found among the paths the user asked to scan.
    case inputPath
    /// Found in a geoipupdate directory.
    case standardLocation
  }

  public let path: String
  public let kind: Kind
  public let origin: Origin
  /// The mmdb `build_epoch` date, or for a TSV its file modification date; nil when unknown.
  public let buildDate: String?
  /// The mmdb metadata `database_type`; nil for a TSV.
  public let databaseType: String?
  /// Kept open once classified so the file is not opened twice (mmdb only).
  let database: MaxMindDatabase?

  init(path: String, kind: Kind, origin: Origin, buildDate: String?, databaseType: String?, database: MaxMindDatabase?) {
    self.path = path
    self.kind = kind
    self.origin = origin
    self.buildDate = buildDate
    self.databaseType = databaseType
    self.database = database
  }

  /// One line for the run summary, e.g.
  /// `/usr/share/GeoIP/GeoLite2-ASN.mmdb (MaxMind DB GeoLite2-ASN, built 2024-05-03; standard geoipupdate location)`.
  public var summary: String {
    let what: String
    switch kind {
    case .maxMindASN, .maxMindCity:
      what = "MaxMind DB \(databaseType ?? "?"), built \(buildDate ?? "unknown")"
    case .ip2asnTSV:
      what = "ip2asn TSV, modified \(buildDate ?? "unknown")"
    }
    let from: String
    switch origin {
    case .flag: from = "given on the command line"
    case .environment(let name): from = "from $\(name)"
    case .inputPath: from = "found among the input paths"
    case .standardLocation: from = "standard geoipupdate location"
    }
    return "\(path) (\(what); \(from))"
  }

  /// The ASN source for this file; parses the TSV now (it is the expensive step).
  public func openASN() throws(EnrichmentError) -> any ASNLookup {
    switch kind {
    case .ip2asnTSV:
      return try IP2ASNTable(path: path)
    case .maxMindASN, .maxMindCity:
      return try MaxMindASNDatabase(database: opened())
    }
  }

  private func opened() throws(EnrichmentError) -> MaxMindDatabase {
    if let database { return database }
    return try MaxMindDatabase(path: path)
  }

  public func openGeo() throws(EnrichmentError) -> any GeoLookup {
    switch kind {
    case .ip2asnTSV:
      throw .wrongDatabaseKind(path: path, databaseType: "ip2asn TSV", expected: "a City database")
    case .maxMindASN, .maxMindCity:
      return try MaxMindCityDatabase(database: opened())
    }
  }
}
