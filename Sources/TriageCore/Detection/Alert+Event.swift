extension Alert {
  /// The event's request parameters as a tree: Elastic's flattened object, else the raw record's
  /// (from `event.original`), else read back from the rendered `request_parameters` text.
  public var requestParameters: JSONObject? { Alert.requestParameters(of: document) }

  /// The event's response elements, found the same way.
  public var responseElements: JSONObject? {
    Alert.eventObject(in: document, flattened: "aws.cloudtrail.flattened.response_elements", raw: "responseElements",
                      rendered: "aws.cloudtrail.response_elements", original: { Alert.originalRecord(of: document) })
  }

  /// The raw CloudTrail record, when the document carries it.
  public var originalRecord: JSONValue? { Alert.originalRecord(of: document) }

  /// The request parameters of any event document, as `requestParameters` finds them. `record`,
  /// when the caller has it, stands for the parsed `event.original` (the record the document was
  /// mapped from): the same tree without the text or a second parse.
  static func requestParameters(of document: JSONObject, record: JSONObject? = nil) -> JSONObject? {
    eventObject(in: document, flattened: "aws.cloudtrail.flattened.request_parameters", raw: "requestParameters",
                rendered: "aws.cloudtrail.request_parameters", original: { record.map { .object($0) } ?? originalRecord(of: document) })
  }

  static func originalRecord(of document: JSONObject) -> JSONValue? {
    guard let text = document[path: "event.original"].flatMap(Alert.text) else { return nil }
    return try? JSONParser.parse(text)
  }

  /// Paths are whole literals: this runs per alert when the list opens. The original record is
  /// read only when there is no flattened object.
  private static func eventObject(in document: JSONObject, flattened: String, raw: String, rendered: String, original: () -> JSONValue?) -> JSONObject? {
    if let object = document[path: flattened]?.objectValue { return object }
    if let object = original()?[path: raw]?.objectValue { return object }
    if let text = document[path: rendered].flatMap(Alert.text) { return JavaMapText.parse(text) }
    return nil
  }
}
