/// An event that shares an actor, key, function or address with an alert: the few fields the
/// guides' evidence is computed from, and where it was read.
public struct RelatedEvent: Sendable, Equatable {
  public var millis: Int64
  public var time: String
  public var action: String
  public var provider: String
  public var principalARN: String?
  public var principalType: String?
  public var accessKeyID: String?
  public var sourceIP: String?
  public var asNumber: String?
  public var asOrganization: String?
  public var userAgent: String?
  /// The Lambda function's bare name (ARNs and qualifiers stripped).
  public var functionName: String?
  public var requestParameters: JSONObject?
  public var errorCode: String?
  public var eventID: String?
  /// `file:line` or `file#record N`.
  public var location: String
  /// The ECS document, to show the event itself.
  public var document: JSONObject

  public init(document: JSONObject, location: String) {
    self.document = document
    self.location = location
    time = document[path: "@timestamp"]?.keywordText ?? ""
    millis = Timestamp.parseMillis(time) ?? 0
    action = document[path: "event.action"]?.keywordText ?? ""
    provider = document[path: "event.provider"]?.keywordText ?? ""
    let keys = RelatedEvent.keys(of: document)
    principalARN = keys.principalARN
    principalType = document[path: "aws.cloudtrail.user_identity.type"]?.keywordText
    accessKeyID = keys.accessKeyID
    sourceIP = keys.sourceIP
    asNumber = document[path: "source.as.number"]?.keywordText
    asOrganization = document[path: "source.as.organization.name"]?.keywordText
    userAgent = document[path: "user_agent.original"]?.keywordText
    errorCode = document[path: "aws.cloudtrail.error_code"]?.keywordText
    eventID = document[path: "event.id"]?.keywordText
    requestParameters = keys.requestParameters
    functionName = keys.functionName
  }

  /// Every field `init` reads: what an event needs mapped when its document is not kept (a
  /// report's evidence).
  static let projection = MappingProjection(fields: keyFields + [
    "event.action", "event.provider", "aws.cloudtrail.user_identity.type", "source.as.number", "source.as.organization.name",
    "user_agent.original", "aws.cloudtrail.error_code", "event.id",
  ])

  /// The fields `keys(of:)` reads (the request parameters come from the flattened object, the
  /// original record or the rendered text, whichever the document has).
  static let keyFields = [
    "@timestamp", "aws.cloudtrail.user_identity.arn", "aws.cloudtrail.user_identity.access_key_id", "source.ip", "source.address",
    "aws.cloudtrail.flattened.request_parameters", "event.original", "aws.cloudtrail.request_parameters", "aws.cloudtrail.resources",
  ]

  /// The values an event is related to an alert by (the evidence index files events under them).
  static func keys(of document: JSONObject) -> (principalARN: String?, accessKeyID: String?, sourceIP: String?, functionName: String?, requestParameters: JSONObject?) {
    let requestParameters = Alert(document: document).requestParameters
    // TagResource and its kin name the function by ARN in `resource`.
    let resource = requestParameters?["resource"]?.keywordText.flatMap { $0.contains(":function:") ? $0 : nil }
    let function = (requestParameters?["functionName"]?.keywordText ?? resource).map(RelatedEvent.bareFunctionName)
      ?? document[path: "aws.cloudtrail.resources.arn"]?.keywordText.flatMap { $0.contains(":function:") ? RelatedEvent.bareFunctionName($0) : nil }
    return (
      document[path: "aws.cloudtrail.user_identity.arn"]?.keywordText,
      document[path: "aws.cloudtrail.user_identity.access_key_id"]?.keywordText,
      document[path: "source.ip"]?.keywordText ?? document[path: "source.address"]?.keywordText,
      function, requestParameters
    )
  }

  /// `arn:aws:lambda:r:acct:function:name:qualifier`, `acct:function:name` or `name:qualifier` → `name`.
  public static func bareFunctionName(_ text: String) -> String {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    if let index = parts.firstIndex(of: "function"), index + 1 < parts.count { return parts[index + 1] }
    return parts.first ?? text
  }

  /// The network as analysts name it: the ASN organisation, else the address.
  public var network: String { asOrganization ?? sourceIP ?? "unknown network" }
}
