/// An event that shares an actor, key, function or address with an alert: the few fields the
/// guides' evidence is computed from, and where it was read.
public struct RelatedEvent: Sendable, Equatable {
  /// The fields, held once and shared by copies: a report hands its events around by the
  /// thousand, and copying seventeen counted references per copy was about a sixth of its time.
  private final class Storage: @unchecked Sendable {
    // Never changed while shared: every setter copies a shared storage first (copy on write).
    var fields: Fields
    init(_ fields: Fields) { self.fields = fields }
  }

  struct Fields: Equatable {
    var millis: Int64
    var time: String
    var action: String
    var provider: String
    var principalARN: String?
    var principalType: String?
    var accessKeyID: String?
    var sourceIP: String?
    var asNumber: String?
    var asOrganization: String?
    var userAgent: String?
    var functionName: String?
    var requestParameters: JSONObject?
    var errorCode: String?
    var eventID: String?
    var location: String
    var document: JSONObject
  }

  private var storage: Storage

  private mutating func update(_ change: (inout Fields) -> Void) {
    if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
    change(&storage.fields)
  }

  public static func == (a: RelatedEvent, b: RelatedEvent) -> Bool { a.storage === b.storage || a.storage.fields == b.storage.fields }

  public var millis: Int64 {
    get { storage.fields.millis }
    set { update { $0.millis = newValue } }
  }
  public var time: String {
    get { storage.fields.time }
    set { update { $0.time = newValue } }
  }
  public var action: String {
    get { storage.fields.action }
    set { update { $0.action = newValue } }
  }
  public var provider: String {
    get { storage.fields.provider }
    set { update { $0.provider = newValue } }
  }
  public var principalARN: String? {
    get { storage.fields.principalARN }
    set { update { $0.principalARN = newValue } }
  }

  /// The principal as history counts it: an assumed role's sessions are one (`PrincipalKey`).
  var principalKey: String? { PrincipalKey.of(principalARN) }
  public var principalType: String? {
    get { storage.fields.principalType }
    set { update { $0.principalType = newValue } }
  }
  public var accessKeyID: String? {
    get { storage.fields.accessKeyID }
    set { update { $0.accessKeyID = newValue } }
  }
  public var sourceIP: String? {
    get { storage.fields.sourceIP }
    set { update { $0.sourceIP = newValue } }
  }
  public var asNumber: String? {
    get { storage.fields.asNumber }
    set { update { $0.asNumber = newValue } }
  }
  public var asOrganization: String? {
    get { storage.fields.asOrganization }
    set { update { $0.asOrganization = newValue } }
  }
  public var userAgent: String? {
    get { storage.fields.userAgent }
    set { update { $0.userAgent = newValue } }
  }
  /// The Lambda function's bare name (ARNs and qualifiers stripped).
  public var functionName: String? {
    get { storage.fields.functionName }
    set { update { $0.functionName = newValue } }
  }
  public var requestParameters: JSONObject? {
    get { storage.fields.requestParameters }
    set { update { $0.requestParameters = newValue } }
  }
  public var errorCode: String? {
    get { storage.fields.errorCode }
    set { update { $0.errorCode = newValue } }
  }
  public var eventID: String? {
    get { storage.fields.eventID }
    set { update { $0.eventID = newValue } }
  }
  /// `file:line` or `file#record N`.
  public var location: String {
    get { storage.fields.location }
    set { update { $0.location = newValue } }
  }
  /// The ECS document, to show the event itself.
  public var document: JSONObject {
    get { storage.fields.document }
    set { update { $0.document = newValue } }
  }

  /// Replaces each text field by `share(text)` (an equal text), in one step: through key paths,
  /// field by field, this was half the time of handing a report's events to their alerts.
  mutating func shareTexts(_ share: (String) -> String) {
    func shared(_ text: inout String) { text = share(text) }
    func shared(_ text: inout String?) { if let value = text { text = share(value) } }
    update { fields in
      shared(&fields.time)
      shared(&fields.action)
      shared(&fields.provider)
      shared(&fields.principalARN)
      shared(&fields.principalType)
      shared(&fields.accessKeyID)
      shared(&fields.sourceIP)
      shared(&fields.asNumber)
      shared(&fields.asOrganization)
      shared(&fields.userAgent)
      shared(&fields.functionName)
      shared(&fields.errorCode)
    }
  }

  /// - Parameter record: the raw CloudTrail record the document was mapped from, when the caller
  ///   has it: the request parameters then fall back to it rather than to `event.original`.
  public init(document: JSONObject, location: String) {
    self.init(document: document, record: nil, location: location)
  }

  init(document: JSONObject, record: JSONObject?, location: String) {
    let time = document[path: "@timestamp"]?.keywordText ?? ""
    let keys = RelatedEvent.keys(of: document, record: record)
    storage = Storage(Fields(
      millis: Timestamp.parseMillis(time) ?? 0,
      time: time,
      action: document[path: "event.action"]?.keywordText ?? "",
      provider: document[path: "event.provider"]?.keywordText ?? "",
      principalARN: keys.principalARN,
      principalType: document[path: "aws.cloudtrail.user_identity.type"]?.keywordText,
      accessKeyID: keys.accessKeyID,
      sourceIP: keys.sourceIP,
      asNumber: document[path: "source.as.number"]?.keywordText,
      asOrganization: document[path: "source.as.organization.name"]?.keywordText,
      userAgent: document[path: "user_agent.original"]?.keywordText,
      functionName: keys.functionName,
      requestParameters: keys.requestParameters,
      errorCode: document[path: "aws.cloudtrail.error_code"]?.keywordText,
      eventID: document[path: "event.id"]?.keywordText,
      location: location,
      document: document))
  }

  /// Every field `init` reads: what an event needs mapped when its document is not kept (a
  /// report's evidence).
  static let projection = MappingProjection(fields: keyFields + summaryFields)

  /// The same for an event whose raw record is at hand (`init(document:record:location:)`): no
  /// `event.original`, a copy of the whole record as text that would only stand in for it.
  static let projectionBesideRecord = MappingProjection(fields: keyFields.filter { $0 != "event.original" } + summaryFields)

  private static let summaryFields = [
    "event.action", "event.provider", "aws.cloudtrail.user_identity.type", "source.as.number", "source.as.organization.name",
    "user_agent.original", "aws.cloudtrail.error_code", "event.id",
  ]

  /// The fields `keys(of:)` reads (the request parameters come from the flattened object, the
  /// original record or the rendered text, whichever the document has).
  static let keyFields = [
    "@timestamp", "aws.cloudtrail.user_identity.arn", "aws.cloudtrail.user_identity.access_key_id", "source.ip", "source.address",
    "aws.cloudtrail.flattened.request_parameters", "event.original", "aws.cloudtrail.request_parameters", "aws.cloudtrail.resources",
  ]

  /// The values an event is related to an alert by (the evidence index files events under them).
  static func keys(of document: JSONObject, record: JSONObject? = nil) -> (principalARN: String?, accessKeyID: String?, sourceIP: String?, functionName: String?, requestParameters: JSONObject?) {
    let requestParameters = Alert.requestParameters(of: document, record: record)
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
