/// What a parsed top-level record is. The reader accepts any mix; the kind decides what happens
/// next (map, pass through, import, skip).
public enum RecordKind: Sendable, Equatable {
  /// A raw CloudTrail record (`eventVersion`, `eventSource`, `eventName`...): mapped to ECS.
  case cloudTrail(JSONObject)
  /// An ECS document as exported from `logs-aws.cloudtrail-*` (nested or dotted keys): used as is.
  case ecs(JSONObject)
  /// A Kibana alert document from `.alerts-security.alerts-*`: triaged as it is.
  case kibanaAlert(JSONObject)
  /// An Elasticsearch `_search` response: its hits, each classified in turn.
  case searchResponse([JSONObject])
  case digest
  case insight
  case unknown(reason: String)

  public static func classify(_ value: JSONValue) -> RecordKind {
    guard case .object(var object) = value else { return .unknown(reason: "not a JSON object") }
    // An Elasticsearch hit (`{"_index":...,"_source":{...}}`) stands for its source.
    if case .object(let source)? = object["_source"] {
      var unwrapped = source
      if unwrapped["_id"] == nil, let id = object["_id"], unwrapped[path: "kibana.alert.uuid"] == nil, isKibanaAlert(unwrapped) {
        unwrapped["kibana.alert.uuid"] = id
      }
      object = unwrapped
    }
    if case .object(let hits)? = object["hits"], case .array(let list)? = hits["hits"] {
      return .searchResponse(list.compactMap(\.objectValue))
    }
    if isKibanaAlert(object) { return .kibanaAlert(object) }
    if object["digestStartTime"] != nil || object["digestSignatureAlgorithm"] != nil { return .digest }
    if object["eventType"]?.stringValue == "AwsCloudTrailInsight" || object["insightDetails"] != nil { return .insight }
    if object["eventVersion"] != nil || (object["eventSource"] != nil && object["eventName"] != nil) {
      return .cloudTrail(object)
    }
    if object["@timestamp"] != nil || object["event"] != nil || object["event.action"] != nil || object["event.provider"] != nil {
      return .ecs(object)
    }
    return .unknown(reason: "neither a CloudTrail record nor an ECS document (no eventVersion, eventName or @timestamp)")
  }

  static func isKibanaAlert(_ object: JSONObject) -> Bool {
    object[path: "kibana.alert.rule.rule_id"] != nil || object[path: "kibana.alert.rule.name"] != nil
      || object[path: "signal.rule.id"] != nil
  }
}
