/// The per-record steps after parsing: CloudTrail -> ECS mapping and source enrichment. Held as
/// values so `detect`, `ecs` and tests share one definition of "an event".
public struct EventPipeline: Sendable {
  public var mapCloudTrail: @Sendable (_ record: JSONObject, _ original: String) -> JSONObject
  public var enrich: (@Sendable (inout JSONObject) throws -> Void)?
  /// The same mapping restricted to a projection's fields (detection's scan); nil maps in full.
  public var mapProjected: (@Sendable (_ record: JSONObject, _ original: String?, _ projection: MappingProjection) -> JSONObject)?
  /// What `enrich` does, as a value: events read as scalars are enriched by looking their address
  /// up rather than by writing into a document. Set together with `enrich`, or both nil.
  public var enricher: SourceEnricher?

  /// Whether events can be read as scalars: there is no enrichment, or it can be looked up.
  var enrichesScalars: Bool { enrich == nil || enricher != nil }

  public init(
    mapCloudTrail: @escaping @Sendable (_ record: JSONObject, _ original: String) -> JSONObject,
    enrich: (@Sendable (inout JSONObject) throws -> Void)?,
    mapProjected: (@Sendable (_ record: JSONObject, _ original: String?, _ projection: MappingProjection) -> JSONObject)? = nil
  ) {
    self.mapCloudTrail = mapCloudTrail
    self.enrich = enrich
    self.mapProjected = mapProjected
  }

  /// The events in one record read on its own (evidence read-back, index keys of a record the
  /// rules skip): a raw CloudTrail record mapped, an ECS document nested, a search response's ECS
  /// hits; nothing for alerts, digests or what does not parse. Not enriched.
  /// With a projection (and a pipeline that can), raw CloudTrail is mapped for its fields only.
  public func documents(in bytes: UnsafeBufferPointer<UInt8>, projection: MappingProjection? = nil) -> [JSONObject] {
    events(in: bytes, projection: projection).map(\.document)
  }

  /// As `documents(in:projection:)`, with the raw CloudTrail record each document was mapped
  /// from (nil for ECS documents), for readers that would otherwise parse `event.original` again.
  func events(in bytes: UnsafeBufferPointer<UInt8>, projection: MappingProjection? = nil) -> [(document: JSONObject, record: JSONObject?)] {
    guard let value = try? JSONParser.parse(bytes) else { return [] }
    switch RecordKind.classify(value) {
    case .cloudTrail(let record):
      if let projection, let mapProjected {
        return [(mapProjected(record, projection.wants("event.original") ? String(decoding: bytes, as: UTF8.self) : nil, projection), record)]
      }
      return [(mapCloudTrail(record, String(decoding: bytes, as: UTF8.self)), record)]
    case .ecs(let object): return [(EventPipeline.nested(object), nil)]
    case .searchResponse(let hits):
      return hits.compactMap { if case .ecs(let object) = RecordKind.classify(.object($0)) { return (EventPipeline.nested(object), nil) } else { return nil } }
    default: return []
    }
  }

  /// ECS exports may spell fields with dotted keys (`"event.action": ...`); documents are nested
  /// like Elasticsearch's `_source` from here on.
  public static func nested(_ object: JSONObject) -> JSONObject {
    guard object.members.contains(where: { $0.key.contains(".") || $0.value.objectValue != nil }) else { return object }
    var result = JSONObject()
    for member in object.members {
      let value: JSONValue
      if case .object(let child) = member.value { value = .object(nested(child)) } else { value = member.value }
      if member.key.contains(".") && !member.key.hasPrefix(".") && !member.key.hasSuffix(".") {
        if case .object(let incoming) = value, case .object(var existing)? = result[path: member.key] {
          for m in incoming.members { existing[m.key] = m.value }
          result.set(path: member.key, .object(existing))
        } else {
          result.set(path: member.key, value)
        }
      } else if case .object(let incoming) = value, case .object(var existing)? = result[member.key] {
        for m in incoming.members { existing[m.key] = m.value }
        result[member.key] = .object(existing)
      } else {
        result[member.key] = value
      }
    }
    return result
  }
}
