import TriageCore

/// The raw event for `r`: the original CloudTrail record (`event.original`) pretty-printed, or the
/// whole alert document when the record is not JSON (or absent), as lines.
public enum RawEventContent {
  public static func lines(_ alert: Alert) -> [String] {
    let value: JSONValue
    if let original = alert.string("event.original"), let record = try? JSONParser.parse(original) {
      value = record
    } else {
      value = .object(alert.document)
    }
    return JSONWriter.pretty(value).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }
}
