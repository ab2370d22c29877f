/// Alerts exported from Elastic (`.alerts-security.alerts-*`) are triaged as they are; only an id
/// is made up when the export lost it.
enum ImportedAlert {
  static func make(_ object: JSONObject, bytes: UnsafeBufferPointer<UInt8>) -> Alert {
    var document = object
    if document[path: "kibana.alert.uuid"] == nil {
      document["kibana.alert.uuid"] = .string(SHA256Digest.hex("lambda-triage/imported/" + String(decoding: bytes, as: UTF8.self)))
    }
    if document[path: "kibana.alert.workflow_status"] == nil {
      document["kibana.alert.workflow_status"] = .string("open")
    }
    if document[path: "kibana.alert.original_time"] == nil, let time = document["@timestamp"] {
      document["kibana.alert.original_time"] = time
    }
    return Alert(document: document)
  }
}
