extension Alert {
  /// The event's request parameters as a tree: Elastic's flattened object, else the raw record's
  /// (from `event.original`), else read back from the rendered `request_parameters` text.
  public var requestParameters: JSONObject? {
    eventObject(flattened: "aws.cloudtrail.flattened.request_parameters", raw: "requestParameters", rendered: "aws.cloudtrail.request_parameters")
  }

  /// The event's response elements, found the same way.
  public var responseElements: JSONObject? {
    eventObject(flattened: "aws.cloudtrail.flattened.response_elements", raw: "responseElements", rendered: "aws.cloudtrail.response_elements")
  }

  /// The raw CloudTrail record, when the document carries it.
  public var originalRecord: JSONValue? {
    guard let text = string("event.original") else { return nil }
    return try? JSONParser.parse(text)
  }

  /// Paths are whole literals: this runs per alert when the list opens.
  private func eventObject(flattened: String, raw: String, rendered: String) -> JSONObject? {
    if let object = field(flattened)?.objectValue { return object }
    if let object = originalRecord?[path: raw]?.objectValue { return object }
    if let text = string(rendered) { return JavaMapText.parse(text) }
    return nil
  }
}
