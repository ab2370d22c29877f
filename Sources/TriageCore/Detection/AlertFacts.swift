/// The handful of facts every view of an alert shows, derived from its fields the same way
/// everywhere (table, console, report).
public enum AlertFacts {
  /// The Lambda function: from the request (`functionName`, possibly an ARN) or the resources.
  public static func functionName(_ alert: Alert) -> String? {
    if let name = alert.string("aws.cloudtrail.flattened.request_parameters.functionName") {
      return shortFunctionName(name)
    }
    if let text = alert.string("aws.cloudtrail.request_parameters"), let name = payloadValue("functionName", in: text) {
      return shortFunctionName(name)
    }
    if case .array(let resources)? = alert.field("aws.cloudtrail.resources") {
      for case .object(let resource) in resources {
        if let arn = resource["arn"]?.stringValue, arn.contains(":function:") { return shortFunctionName(arn) }
      }
    }
    return nil
  }

  /// `arn:aws:lambda:us-east-1:1111:function:name:qualifier` -> `name`.
  public static func shortFunctionName(_ value: String) -> String {
    let parts = value.split(separator: ":", omittingEmptySubsequences: false)
    if value.hasPrefix("arn:"), let i = parts.firstIndex(of: "function"), i + 1 < parts.count { return String(parts[i + 1]) }
    return value
  }

  /// Who acted: the user name (or role name), else the identity ARN.
  public static func principal(_ alert: Alert) -> String? {
    alert.string("user.name") ?? alert.string("aws.cloudtrail.user_identity.arn") ?? alert.string("service.name")
  }

  /// A `key=value` from a Java-rendered map string (`{functionName=f, authType=NONE}`), for ECS
  /// input that has no flattened copy.
  static func payloadValue(_ key: String, in text: String) -> String? {
    guard let range = text.range(of: key + "=") else { return nil }
    let rest = text[range.upperBound...]
    let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
    return String(rest[..<end])
  }
}
