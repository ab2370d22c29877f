/// Options that differ between Elastic deployments; the defaults are the AWS integration's.
public struct CloudTrailMappingOptions: Sendable {
  /// `event.created` (the time the shipper read the record); omitted when nil.
  public var eventCreated: String?
  public var namespace = "default"
  public init(eventCreated: String? = nil) { self.eventCreated = eventCreated }
}

/// Maps one raw CloudTrail record to the ECS document Elastic's AWS integration (8.9.0) indexes
/// in `logs-aws.cloudtrail-*`, nested like `_source`. Field by field it follows
/// `data_stream/cloudtrail/elasticsearch/ingest_pipeline/default.yml`: the record is pruned first
/// (null, "", "-", "none"), so every field below sees pruned values.
public enum CloudTrailMapper {
  static let ecsVersion = "8.11.0"
  /// Elastic stores the flattened copy only below this many UTF-16 units.
  static let flattenedLimit = 32766

  /// With a projection only the fields it names are built (each exactly as in the full document),
  /// and the costly parts no wanted field depends on are skipped.
  public static func map(
    _ raw: JSONObject, original: String?, options: CloudTrailMappingOptions = CloudTrailMappingOptions(), projection: MappingProjection? = nil
  ) -> JSONObject {
    let record = ElasticPruner.prune(raw)
    var doc = DocumentBuilder(projection: projection)
    let eventName = record["eventName"]?.stringValue

    // Without eventTime the document keeps the shipper's time, as in Elastic; a malformed one is
    // a pipeline error.
    if let time = record["eventTime"] {
      if let text = time.stringValue, let millis = Timestamp.parseMillis(text) {
        doc.set("@timestamp", .string(Timestamp.format(millis: millis)))
      } else {
        doc.append("error.message", .string("field [eventTime] is not an ISO 8601 date: \(JSONWriter.compact(time))"))
      }
    } else {
      doc.set("@timestamp", options.eventCreated.map { .string($0) })
    }
    doc.set("ecs.version", .string(ecsVersion))
    doc.set("event.original", original.map { .string($0) })
    doc.set("event.created", options.eventCreated.map { .string($0) })
    doc.set("event.kind", .string("event"))
    doc.set("event.action", record["eventName"].flatMap(scalarText).map { .string($0) })
    doc.set("event.provider", record["eventSource"])
    doc.set("event.id", record["eventID"])
    doc.set("event.dataset", .string("aws.cloudtrail"))
    doc.set("event.module", .string("aws"))
    doc.set("data_stream.type", .string("logs"))
    doc.set("data_stream.dataset", .string("aws.cloudtrail"))
    doc.set("data_stream.namespace", .string(options.namespace))
    doc.set("cloud.provider", .string("aws"))
    doc.set("cloud.region", record["awsRegion"])
    if let source = record["eventSource"]?.stringValue {
      let service = source.hasSuffix(".amazonaws.com") ? String(source.dropLast(".amazonaws.com".count)) : source
      doc.set("cloud.service.name", .string(service))
    }
    doc.set("aws.cloudtrail.event_version", record["eventVersion"])

    let identity = IdentityMapping(record: record)
    identity.apply(to: &doc, record: record)

    if let address = record["sourceIPAddress"]?.stringValue {
      doc.set("source.address", .string(address))
      if IPAddress(address) != nil {
        doc.set("source.ip", .string(address))
        doc.appendUnique("related.ip", address)
      } else if address.utf8.contains(UInt8(ascii: ".")), !address.utf8.contains(UInt8(ascii: " ")), !address.hasSuffix(".amazonaws.com") {
        doc.appendUnique("related.hosts", address)
      }
    }
    doc.set("user_agent.original", record["userAgent"])

    for member in renderedMembers {
      guard doc.wants(member.field) || doc.wants(member.flattened), let value = record[member.key] else { continue }
      let text = JavaMapRenderer.render(value)
      doc.set(member.field, .string(text))
      if text.utf16.count < flattenedLimit { doc.set(member.flattened, value) }
    }

    doc.set("aws.cloudtrail.error_code", record["errorCode"])
    doc.set("aws.cloudtrail.error_message", record["errorMessage"])
    doc.set("aws.cloudtrail.event_category", record["eventCategory"])
    doc.set("aws.cloudtrail.request_id", record["requestID"])
    doc.set("aws.cloudtrail.event_type", record["eventType"])
    doc.set("aws.cloudtrail.api_version", record["apiVersion"])
    if let management = record["managementEvent"] {
      doc.set("aws.cloudtrail.management_event", scalarText(management).map { .string($0) })
    }
    if let readOnly = record["readOnly"] {
      switch readOnly {
      case .bool: doc.set("aws.cloudtrail.read_only", readOnly)
      case .string(let s): doc.set("aws.cloudtrail.read_only", s == "true" ? .bool(true) : s == "false" ? .bool(false) : readOnly)
      default: doc.set("aws.cloudtrail.read_only", readOnly)
      }
    }
    doc.set("aws.cloudtrail.recipient_account_id", record["recipientAccountId"])
    doc.set("aws.cloudtrail.shared_event_id", record["sharedEventID"] ?? record["sharedEventId"])
    doc.set("aws.cloudtrail.vpc_endpoint_id", record["vpcEndpointId"])
    doc.set("aws.cloudtrail.vpc_endpoint_account_id", record["vpcEndpointAccountId"])
    if case .object(let addendum)? = record["addendum"] {
      doc.set("aws.cloudtrail.addendum.reason", addendum["reason"])
      doc.set("aws.cloudtrail.addendum.updated_fields", addendum["updatedFields"])
      doc.set("aws.cloudtrail.addendum.original_request_id", addendum["originalRequestID"])
      doc.set("aws.cloudtrail.addendum.original_event_id", addendum["originalEventID"])
    }
    if let fromConsole = record["sessionCredentialFromConsole"] {
      doc.set("aws.cloudtrail.session_credential_from_console", scalarText(fromConsole).map { .string($0) })
    }
    if doc.wants("aws.cloudtrail.resources") { mapResources(record["resources"], into: &doc) }
    if doc.wants("tls") || doc.wants("related.hosts") || doc.wants("aws.cloudtrail.tls_details") { mapTLS(record["tlsDetails"], into: &doc) }

    let request = record["requestParameters"]?.objectValue
    let response = record["responseElements"]?.objectValue
    doc.set("group.id", response?[path: "group.groupId"])
    doc.set("user.target.id", response?[path: "user.userId"])
    doc.set("user.changes.name", request?["newUserName"])
    doc.set("group.name", request?["groupName"])
    doc.set("user.target.name", request?["userName"])
    if let computer = request?["computerName"]?.stringValue { doc.appendUnique("related.hosts", computer) }

    if eventName == "ConsoleLogin", case .object(let extra)? = record["additionalEventData"] {
      if let mobile = extra["MobileVersion"]?.stringValue {
        doc.set("aws.cloudtrail.console_login.additional_eventdata.mobile_version", .bool(mobile != "No"))
      }
      doc.set("aws.cloudtrail.console_login.additional_eventdata.login_to", extra["LoginTo"])
      if let mfa = extra["MFAUsed"]?.stringValue {
        doc.set("aws.cloudtrail.console_login.additional_eventdata.mfa_used", .bool(mfa != "No"))
      }
    }

    // Outcome, then the exact-match category table.
    var outcome = record["errorCode"] != nil || record["errorMessage"] != nil ? "failure" : "success"
    if eventName == "ConsoleLogin", let login = response?["ConsoleLogin"].flatMap(scalarText) {
      outcome = login.lowercased()
    }
    doc.set("event.outcome", .string(outcome))
    if let eventName, let entry = EventCategoryTable.entries[eventName] {
      doc.set("event.category", .array([.string(entry.category)]))
      doc.set("event.type", .array(entry.types.map { .string($0) }))
    } else {
      doc.set("event.type", .array([.string("info")]))
    }

    identity.applyRelatedUsers(to: &doc, request: request, response: response)
    if doc["error.message"] != nil {
      doc.set("event.kind", .string("pipeline_error"))
    }
    return doc.object
  }

  /// The members kept both as Java's map text and as a flattened object.
  private static let renderedMembers = [
    ("requestParameters", "request_parameters"), ("responseElements", "response_elements"),
    ("additionalEventData", "additional_eventdata"), ("serviceEventDetails", "service_event_details"),
  ].map { (key: $0.0, field: "aws.cloudtrail.\($0.1)", flattened: "aws.cloudtrail.flattened.\($0.1)") }

  /// The large members of a raw record, which detection may leave unparsed.
  static let largeMembers = ["requestParameters", "responseElements", "additionalEventData", "serviceEventDetails", "resources", "tlsDetails"]

  /// The position of `key` in `largeMembers` (a switch: this runs for every member of a record).
  static func largeMemberIndex(_ key: String) -> Int? {
    // Every top-level key of every record comes here: the length rules out most at once.
    switch key.utf8.count {
    case 9, 10, 16, 17, 19: break
    default: return nil
    }
    switch key {
    case "requestParameters": return 0
    case "responseElements": return 1
    case "additionalEventData": return 2
    case "serviceEventDetails": return 3
    case "resources": return 4
    case "tlsDetails": return 5
    default: return nil
    }
  }

  /// The event names for which the mapping reads more of the large members.
  enum SpecialEvent: Int, CaseIterable, Sendable {
    case other, consoleLogin, userAuthentication
    init(_ eventName: String?) {
      self = eventName == "ConsoleLogin" ? .consoleLogin : eventName == "UserAuthentication" ? .userAuthentication : .other
    }
  }

  /// Every field the mapping derives from a large member.
  static func fields(from key: String, event: SpecialEvent) -> [String] {
    switch key {
    case "requestParameters":
      return ["aws.cloudtrail.request_parameters", "aws.cloudtrail.flattened.request_parameters", "user.changes.name", "group.name",
              "user.target.name", "related.hosts", "related.user"]
    case "responseElements":
      return ["aws.cloudtrail.response_elements", "aws.cloudtrail.flattened.response_elements", "group.id", "user.target.id", "related.user"]
        + (event == .consoleLogin ? ["event.outcome"] : [])
    case "additionalEventData":
      return ["aws.cloudtrail.additional_eventdata", "aws.cloudtrail.flattened.additional_eventdata"]
        + (event == .consoleLogin ? ["aws.cloudtrail.console_login"] : [])
        + (event == .userAuthentication ? ["user.name", "user.email", "related.user"] : [])
    case "serviceEventDetails": return ["aws.cloudtrail.service_event_details", "aws.cloudtrail.flattened.service_event_details"]
    case "resources": return ["aws.cloudtrail.resources"]
    case "tlsDetails": return ["tls", "related.hosts", "aws.cloudtrail.tls_details"]
    default: return [""]
    }
  }

  /// The large members (bit i = `largeMembers[i]`) mapping for `projection` never reads.
  static func unreadLargeMembers(event: SpecialEvent, for projection: MappingProjection) -> Int {
    var bits = 0
    for (i, key) in largeMembers.enumerated() where !fields(from: key, event: event).contains(where: { projection.wants($0) }) {
      bits |= 1 << i
    }
    return bits
  }

  /// Scalars as a keyword would hold them (booleans and numbers as their text).
  static func scalarText(_ value: JSONValue) -> String? {
    switch value {
    case .string(let s): return s
    case .bool(let b): return b ? "true" : "false"
    case .number(let n): return JavaMapRenderer.javaNumber(n)
    default: return nil
    }
  }

  /// `resources[]` with `ARN`/`accountId` renamed, de-duplicated on `arn_account_type`; the
  /// result follows the iteration order of the HashMap those keys went into.
  static func mapResources(_ value: JSONValue?, into doc: inout DocumentBuilder) {
    guard let value else { return }
    guard case .array(let list) = value else {
      doc.set("aws.cloudtrail.resources", value)
      return
    }
    var byKey = JSONObject()
    var count = 0
    for case .object(let resource) in list {
      var renamed = JSONObject()
      renamed["arn"] = resource["ARN"]
      renamed["account_id"] = resource["accountId"]
      renamed["type"] = resource["type"]
      for member in resource.members where !["ARN", "accountId", "type"].contains(member.key) { renamed[member.key] = member.value }
      let key = [resource["ARN"], resource["accountId"], resource["type"]].map { $0.flatMap(scalarText) ?? "null" }.joined(separator: "_")
      if byKey[key] == nil { count += 1 }
      byKey[key] = .object(renamed)
    }
    byKey.parsedKeyCount = count
    let ordered = JavaMapRenderer.hashMapOrder(byKey).map(\.value)
    if !ordered.isEmpty { doc.set("aws.cloudtrail.resources", .array(ordered)) }
  }

  static func mapTLS(_ value: JSONValue?, into doc: inout DocumentBuilder) {
    guard case .object(let tls)? = value else { return }
    // Some services log the literal placeholder "tlsVersion"; the pipeline drops the block.
    if tls["tlsVersion"]?.stringValue == "tlsVersion" { return }
    if let version = tls["tlsVersion"]?.stringValue {
      if let v = version.firstIndex(of: "v") {
        doc.set("tls.version_protocol", .string(version[..<v].lowercased()))
        doc.set("tls.version", .string(String(version[version.index(after: v)...])))
      } else {
        doc.set("tls.version", .string(version))
      }
    }
    doc.set("tls.cipher", tls["cipherSuite"])
    if let host = tls["clientProvidedHostHeader"]?.stringValue {
      doc.set("tls.client.server_name", .string(host))
      if !host.hasSuffix(".amazonaws.com") { doc.appendUnique("related.hosts", host) }
    }
    doc.set("aws.cloudtrail.tls_details.key_exchange", tls["keyExchange"])
  }
}

/// Builds the nested document field by dotted path. Fields go straight into a tree of nodes held
/// in flat arrays (no per-field allocation beyond the key), in first-set order; a node that got a
/// value keeps it even if deeper paths were set below it, as Elastic's `_source` would show. A
/// path is found by walking the tree (a node has a handful of children), which costs less than
/// hashing the whole path.
struct DocumentBuilder {
  /// Per node: its key, its value, its first and last child and its next sibling (-1: none).
  /// Flat arrays reserved once: a document costs a few allocations, not one per node.
  private var keys: [String]
  private var values: [JSONValue?]
  private var firstChild: [Int32]
  private var lastChild: [Int32]
  private var nextSibling: [Int32]
  /// When set, only paths that can reach these fields are built.
  let projection: MappingProjection?

  init(projection: MappingProjection? = nil) {
    self.projection = projection
    let capacity = projection == nil ? 160 : 48
    keys = [""]
    values = [nil]
    firstChild = [-1]
    lastChild = [-1]
    nextSibling = [-1]
    keys.reserveCapacity(capacity)
    values.reserveCapacity(capacity)
    firstChild.reserveCapacity(capacity)
    lastChild.reserveCapacity(capacity)
    nextSibling.reserveCapacity(capacity)
  }

  func wants(_ path: String) -> Bool { projection?.wants(path) ?? true }

  subscript(path: String) -> JSONValue? {
    var path = path
    return path.withUTF8 { bytes in
      let (node, rest) = deepestNode(bytes)
      return rest == nil ? values[node] : nil
    }
  }

  /// The value is only computed for a wanted path: a projection skips the record lookups too.
  mutating func set(_ path: String, _ value: @autoclosure () -> JSONValue?) {
    guard wants(path), let value = value() else { return }
    values[node(for: path)] = value
  }

  /// The node for a path, creating the missing levels.
  private mutating func node(for path: String) -> Int {
    var path = path
    return path.withUTF8 { bytes -> Int in
      var (node, rest) = deepestNode(bytes)
      while let start = rest {
        let end = Self.componentEnd(bytes, from: start)
        let child = Int32(keys.count)
        keys.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        values.append(nil)
        firstChild.append(-1)
        lastChild.append(-1)
        nextSibling.append(-1)
        if lastChild[node] < 0 { firstChild[node] = child } else { nextSibling[Int(lastChild[node])] = child }
        lastChild[node] = child
        node = Int(child)
        rest = end == bytes.count ? nil : end + 1
      }
      return node
    }
  }

  /// The deepest existing node along a dotted path, and where the part not yet in the tree
  /// starts (nil when the whole path exists). Components are compared as UTF-8 bytes (the
  /// generic String views cost more than the mapping itself).
  private func deepestNode(_ bytes: UnsafeBufferPointer<UInt8>) -> (node: Int, rest: Int?) {
    var node = 0
    var start = 0
    while true {
      let end = Self.componentEnd(bytes, from: start)
      let component = UnsafeBufferPointer(rebasing: bytes[start..<end])
      var child = firstChild[node]
      while child >= 0, !JSONObject.keyEquals(keys[Int(child)], component, length: component.count) { child = nextSibling[Int(child)] }
      guard child >= 0 else { return (node, start) }
      node = Int(child)
      if end == bytes.count { return (node, nil) }
      start = end + 1
    }
  }

  private static func componentEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    var end = start
    while end < bytes.count, bytes[end] != UInt8(ascii: ".") { end += 1 }
    return end
  }

  mutating func append(_ path: String, _ value: JSONValue) {
    guard wants(path) else { return }
    if case .array(var list)? = self[path] {
      list.append(value)
      set(path, .array(list))
    } else {
      set(path, .array([value]))
    }
  }

  mutating func appendUnique(_ path: String, _ value: String) {
    guard wants(path) else { return }
    if case .array(let list)? = self[path], list.contains(.string(value)) { return }
    append(path, .string(value))
  }

  /// The nested document, keys in first-set order.
  var object: JSONObject { build(0) }

  private func build(_ node: Int) -> JSONObject {
    var count = 0
    var child = firstChild[node]
    while child >= 0 {
      count += 1
      child = nextSibling[Int(child)]
    }
    var object = JSONObject()
    object.members.reserveCapacity(count)
    child = firstChild[node]
    while child >= 0 {
      let index = Int(child)
      if let value = values[index] {
        object.members.append(JSONMember(keys[index], value))
      } else if firstChild[index] >= 0 {
        object.members.append(JSONMember(keys[index], .object(build(index))))
      }
      child = nextSibling[index]
    }
    object.parsedKeyCount = object.members.count
    return object
  }
}
