/// Adds `source.as.*` and `source.geo.*` to ECS documents the way Elastic's CloudTrail pipeline
/// does (geoip processors on `source.ip`), for documents that do not already carry them.
public struct SourceEnricher: Sendable {
  /// What `enrich` added to one document, so the caller can count enriched events.
  public struct Added: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let asn = Added(rawValue: 1)
    public static let geo = Added(rawValue: 2)
  }

  public let asn: (any ASNLookup)?
  public let geo: (any GeoLookup)?

  public init(asn: (any ASNLookup)?, geo: (any GeoLookup)? = nil) {
    self.asn = asn
    self.geo = geo
  }

  /// Enriches one document in place.
  ///
  /// Existing values always win: documents exported from Elastic were enriched with Elastic's own
  /// database build, and replacing that with ours would change which ASN a rule sees. Documents
  /// without a string `source.ip` (e.g. `source.address` is a service name) are left alone, as
  /// are addresses the databases do not know.
  ///
  /// A corrupt database record is thrown as `EnrichmentError.corruptRecord` so the caller can
  /// count it and report it with the event's location; whatever the other database answered is
  /// still applied before the error is thrown.
  @discardableResult
  public func enrich(_ document: inout JSONObject) throws(EnrichmentError) -> Added {
    guard let address = document[path: "source.ip"]?.stringValue else { return [] }
    let found = lookUp(address, asn: asn != nil && !Self.hasField(document, prefix: "source.as"), geo: geo != nil && !Self.hasField(document, prefix: "source.geo"))
    let added = found.apply(to: &document)
    if let error = found.error { throw error }
    return added
  }

  /// What the databases say about one address, before it is written into a document: detection
  /// reads the ASN organisation of events it never builds a document for.
  public struct Lookup: Sendable {
    public var asn: ASNInfo?
    public var geo: GeoInfo?
    /// The first database error; whatever the other database answered is still kept.
    public var error: EnrichmentError?

    /// Writes the answers as `enrich` does; the document must not hold them already.
    @discardableResult
    public func apply(to document: inout JSONObject) -> Added {
      var added: Added = []
      if let info = asn {
        var members = [JSONMember("number", .number(JSONNumber(info.number)))]
        if let organization = info.organization {
          members.append(JSONMember("organization", .object(JSONObject([JSONMember("name", .string(organization))]))))
        }
        document.set(path: "source.as", .object(JSONObject(members)))
        added.insert(.asn)
      }
      if let info = geo, !info.isEmpty {
        document.set(path: "source.geo", .object(info.jsonObject))
        added.insert(.geo)
      }
      return added
    }
  }

  /// Asks the databases (those present, and only where `asn` / `geo` allow) about `address`.
  public func lookUp(_ address: String, asn wantsASN: Bool = true, geo wantsGeo: Bool = true) -> Lookup {
    var found = Lookup()
    if let asn, wantsASN {
      do { found.asn = try asn.asn(for: address) } catch { found.error = error }
    }
    if let geo, wantsGeo {
      do { found.geo = try geo.geo(for: address) } catch { found.error = found.error ?? error }
    }
    return found
  }

  /// True when anything lives at or under `prefix`, whether written nested (`source: {as: …}`),
  /// with dotted keys (`"source.as.number"`), or a mix of both, as Elastic exports can be.
  static func hasField(_ object: JSONObject, prefix: String) -> Bool {
    // Runs for every member of every enriched event: compared in place, no joined strings.
    for member in object.members {
      if member.key == prefix || isPath(prefix, below: member.key) { return true }
      if isPath(member.key, below: prefix), case .object(let child) = member.value,
         hasField(child, prefix: String(prefix.utf8.dropFirst(member.key.utf8.count + 1))!) {
        return true
      }
    }
    return false
  }

  /// Whether `path` is `parent` followed by a dot (and possibly more).
  private static func isPath(_ parent: String, below path: String) -> Bool {
    let p = parent.utf8, q = path.utf8
    guard q.count > p.count, q.starts(with: p) else { return false }
    return q[q.index(q.startIndex, offsetBy: p.count)] == UInt8(ascii: ".")
  }
}
