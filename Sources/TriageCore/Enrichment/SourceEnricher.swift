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
    var added: Added = []
    var firstError: EnrichmentError?
    if let asn, !Self.hasField(document, prefix: "source.as") {
      do {
        if let info = try asn.asn(for: address) {
          var members = [JSONMember("number", .number(JSONNumber(info.number)))]
          if let organization = info.organization {
            members.append(JSONMember("organization", .object(JSONObject([JSONMember("name", .string(organization))]))))
          }
          document.set(path: "source.as", .object(JSONObject(members)))
          added.insert(.asn)
        }
      } catch {
        firstError = error
      }
    }
    if let geo, !Self.hasField(document, prefix: "source.geo") {
      do {
        if let info = try geo.geo(for: address), !info.isEmpty {
          document.set(path: "source.geo", .object(info.jsonObject))
          added.insert(.geo)
        }
      } catch {
        firstError = firstError ?? error
      }
    }
    if let firstError { throw firstError }
    return added
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
