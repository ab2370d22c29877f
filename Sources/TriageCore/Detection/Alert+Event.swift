extension Alert {
  /// The event's request parameters as a tree: Elastic's flattened object, else the raw record's
  /// (from `event.original`), else read back from the rendered `request_parameters` text.
  public var requestParameters: JSONObject? { eventObject(flattened: "request_parameters", raw: "requestParameters") }

  /// The event's response elements, found the same way.
  public var responseElements: JSONObject? { eventObject(flattened: "response_elements", raw: "responseElements") }

  /// The raw CloudTrail record, when the document carries it.
  public var originalRecord: JSONValue? {
    guard let text = string("event.original") else { return nil }
    return try? JSONParser.parse(text)
  }

  private func eventObject(flattened: String, raw: String) -> JSONObject? {
    if let object = field("aws.cloudtrail.flattened." + flattened)?.objectValue { return object }
    if let object = originalRecord?[path: raw]?.objectValue { return object }
    if let text = string("aws.cloudtrail." + flattened) { return JavaMapText.parse(text) }
    return nil
  }
}
