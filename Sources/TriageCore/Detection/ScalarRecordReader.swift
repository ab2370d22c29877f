import CSupport
#if canImport(Glibc)
import Glibc
#endif

/// Builds the projected document of a plain raw CloudTrail record straight from its bytes, for
/// the rules whose scan reads only a handful of scalars (the new-terms rule on `Invoke`: time,
/// provider, action, outcome, source address, account, user, invoker). On a trail most parsed
/// records are such Invoke data events, and building their JSON tree and running the general
/// mapper cost about ten times what reading those scalars does.
///
/// Every field is exactly what `CloudTrailMapper.map` sets for it (after Elastic's pruning), and
/// anything this reader does not read with certainty (escapes, unknown top-level keys, values of
/// an unexpected type, ConsoleLogin and UserAuthentication, an unparsable time, invalid JSON) makes
/// it decline: the record then takes the full parse and mapping, which also reports its errors.
public enum ScalarRecordReader {
  /// The fields it builds, in the order the mapper sets them (which orders the document's keys).
  enum Field: Int, CaseIterable {
    case timestamp, action, provider, id, dataset, invokedBy, accountID, userName, sourceIP, outcome

    var path: String {
      switch self {
      case .timestamp: return "@timestamp"
      case .action: return "event.action"
      case .provider: return "event.provider"
      case .id: return "event.id"
      case .dataset: return "data_stream.dataset"
      case .invokedBy: return "aws.cloudtrail.user_identity.invoked_by"
      case .accountID: return "cloud.account.id"
      case .userName: return "user.name"
      case .sourceIP: return "source.ip"
      case .outcome: return "event.outcome"
      }
    }

    static let components: [[String]] = allCases.map { $0.path.split(separator: ".").map(String.init) }
  }

  /// The projection fields a run may name for this reader to build its documents: its own, and
  /// those only enrichment or ingest would set (never present in a raw record's mapping).
  static let fields = Set(Field.allCases.map(\.path)).union(["event.ingested", "source.as.organization.name"])

  /// Which of its fields (bit = `Field.rawValue`) a projection wants; nil when the projection
  /// names a field it does not build.
  static func fieldMask(for projection: MappingProjection) -> Int? {
    guard projection.fields.isSubset(of: fields) else { return nil }
    // The fields are leaves none of which lies below another, so "wants" is membership here.
    return Field.allCases.reduce(0) { projection.fields.contains($1.path) ? $0 | 1 << $1.rawValue : $0 }
  }

  /// The projected document and the rules (as bits) the record can match; nil to take the full path.
  static func read(_ bytes: UnsafeBufferPointer<UInt8>, gating: RuleGating) -> (document: JSONObject, possibleRules: Int)? {
    scalars(bytes, gating: gating).map { (document($0.values), $0.possibleRules) }
  }

  /// The projected document's values by `Field` (nil: not set) and the rules (as bits) the record
  /// can match; nil to take the full path.
  static func scalars(_ bytes: UnsafeBufferPointer<UInt8>, gating: RuleGating) -> (values: [JSONValue?], possibleRules: Int)? {
    guard let base = bytes.baseAddress, bytes.count < Int(UInt32.max), memchr(base, 0x5C, bytes.count) == nil else { return nil }
    var record = Record()
    var known = true
    let listed = members(bytes, 0..<bytes.count) { key, value in
      if let key = TopLevelKey(key.bytes) { record.ranges[key.rawValue] = value } else { known = false }
    }
    guard listed, known else { return nil }
    return values(record, bytes, gating: gating)
  }

  /// The document holding `values`, nested and ordered as the mapper would have built it.
  static func document(_ values: [JSONValue?]) -> JSONObject {
    values.withUnsafeBufferPointer { Node.root.object($0)?.object } ?? JSONObject()
  }

  private static func values(_ record: Record, _ bytes: UnsafeBufferPointer<UInt8>, gating: RuleGating) -> (values: [JSONValue?], possibleRules: Int)? {
    // What RecordKind.classify would call raw CloudTrail (its other keys are not top-level keys here).
    guard record[.eventVersion] != nil || (record[.eventSource] != nil && record[.eventName] != nil) else { return nil }
    if case .text(let type) = value(bytes, record[.eventType]), bytes.bytes(in: type, equal: "AwsCloudTrailInsight") { return nil }
    guard case .text(let name) = value(bytes, record[.eventName]) else { return nil }
    let action = text(bytes, name)
    guard CloudTrailMapper.SpecialEvent(action) == .other else { return nil }
    let possible = gating.possibleRules(action: action)
    guard let wanted = gating.scalarFields(mask: possible) else { return nil }

    guard case .text(let time) = value(bytes, record[.eventTime]), let millis = Timestamp.parseMillis(bytes: slice(bytes, time)) else { return nil }
    guard case .text(let source) = value(bytes, record[.eventSource]) else { return nil }
    let eventID = value(bytes, record[.eventID])
    let address = value(bytes, record[.sourceIPAddress])
    let recipient = value(bytes, record[.recipientAccountId])
    let errorCode = value(bytes, record[.errorCode]), errorMessage = value(bytes, record[.errorMessage])
    // Values set as they are must be strings (a number would be set as a number); the outcome
    // only asks whether the errors survive pruning, which containers make this reader follow.
    guard eventID.isTextOrAbsent, recipient.isTextOrAbsent, !errorCode.isContainer, !errorMessage.isContainer else { return nil }
    guard let identity = Identity(bytes, record[.userIdentity]) else { return nil }

    var values = [JSONValue?](repeating: nil, count: Field.allCases.count)
    values[Field.timestamp.rawValue] = .string(Timestamp.format(millis: millis))
    values[Field.action.rawValue] = .string(action)
    values[Field.provider.rawValue] = .string(text(bytes, source))
    values[Field.id.rawValue] = string(bytes, eventID)
    values[Field.dataset.rawValue] = .string("aws.cloudtrail")
    if identity.present {
      values[Field.invokedBy.rawValue] = string(bytes, identity.invokedBy)
      values[Field.accountID.rawValue] = string(bytes, identity.accountID) ?? string(bytes, recipient)
      let type = optionalText(bytes, identity.type)
      if !IdentityMapping.isServiceActor(type: type, issuerARN: optionalText(bytes, identity.issuerARN)) {
        let name = IdentityMapping.userName(type: type, own: optionalText(bytes, identity.userName), issuer: optionalText(bytes, identity.issuerUserName))
        values[Field.userName.rawValue] = name.map { .string($0) }
      }
    } else {
      values[Field.accountID.rawValue] = string(bytes, recipient)
    }
    if case .text(let range) = address {
      let text = text(bytes, range)
      if IPAddress(text) != nil { values[Field.sourceIP.rawValue] = .string(text) }
    }
    let failed = errorCode.isPresent || errorMessage.isPresent
    values[Field.outcome.rawValue] = .string(failed ? "failure" : "success")
    for field in Field.allCases where wanted & (1 << field.rawValue) == 0 { values[field.rawValue] = nil }
    return (values, possible)
  }

  /// The fields' paths as a tree, to nest a document as DocumentBuilder does: each key placed
  /// where the first value below it was set, in field order.
  final class Node: Sendable {
    let key: String
    /// The field whose value this leaf holds; -1 for an object.
    let field: Int
    let children: [Node]

    init(key: String, field: Int, children: [Node]) {
      self.key = key
      self.field = field
      self.children = children
    }

    static let root: Node = tree(key: "", depth: 0, fields: Field.allCases.map { ($0.rawValue, Field.components[$0.rawValue]) })

    private static func tree(key: String, depth: Int, fields: [(Int, [String])]) -> Node {
      if fields.count == 1, fields[0].1.count == depth { return Node(key: key, field: fields[0].0, children: []) }
      var order: [String] = []
      var groups: [String: [(Int, [String])]] = [:]
      for field in fields {
        let head = field.1[depth]
        if groups[head] == nil { order.append(head) }
        groups[head, default: []].append(field)
      }
      return Node(key: key, field: -1, children: order.map { tree(key: $0, depth: depth + 1, fields: groups[$0]!) })
    }

    /// The object below this node and the first field set in it; nil when no value is set.
    func object(_ values: UnsafeBufferPointer<JSONValue?>) -> (object: JSONObject, first: Int)? {
      withUnsafeTemporaryAllocation(of: Int.self, capacity: children.count) { firsts -> (object: JSONObject, first: Int)? in
        var members: [JSONMember] = []
        var ordered = true
        for child in children {
          let member: JSONMember, first: Int
          if child.field >= 0 {
            guard let value = values[child.field] else { continue }
            (member, first) = (JSONMember(child.key, value), child.field)
          } else {
            guard let (object, at) = child.object(values) else { continue }
            (member, first) = (JSONMember(child.key, .object(object)), at)
          }
          if members.isEmpty { members.reserveCapacity(children.count) } else if firsts[members.count - 1] > first { ordered = false }
          firsts[members.count] = first
          members.append(member)
        }
        guard !members.isEmpty else { return nil }
        if !ordered {
          // Rare (a key whose first fields were not set): order by where each was first set.
          let order = members.indices.sorted { firsts[$0] < firsts[$1] }
          members = order.map { members[$0] }
        }
        let first = ordered ? firsts[0] : members.indices.map { firsts[$0] }.min()!
        return (JSONObject(members, parsedKeyCount: members.count), first)
      }
    }
  }

  /// A member's value as the pruned record holds it.
  enum Value {
    /// Missing, null, or a string the pruning drops ("", "-", "none").
    case absent
    /// A kept string: its bytes between the quotes.
    case text(Range<Int>)
    /// A number or boolean.
    case scalar
    /// An object or array, whose pruning this reader does not follow.
    case container

    var isContainer: Bool { if case .container = self { return true } else { return false } }
    var isPresent: Bool { if case .absent = self { return false } else { return true } }
    var isTextOrAbsent: Bool {
      switch self {
      case .absent, .text: return true
      case .scalar, .container: return false
      }
    }
  }

  static func value(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>?) -> Value {
    guard let range else { return .absent }
    switch bytes[range.lowerBound] {
    case UInt8(ascii: "\""):
      let inner = range.lowerBound + 1..<range.upperBound - 1
      if inner.isEmpty || bytes.bytes(in: inner, equal: "-") || bytes.bytes(in: inner, equal: "none") { return .absent }
      return .text(inner)
    case UInt8(ascii: "n"): return .absent
    case UInt8(ascii: "{"), UInt8(ascii: "["): return .container
    default: return .scalar
    }
  }

  /// The value set for a field read as is: a kept string; nil for an absent one (the callers
  /// decline the other kinds).
  private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Value) -> JSONValue? {
    if case .text(let range) = value { return .string(text(bytes, range)) }
    return nil
  }

  /// `stringValue` of the value: nil for anything but a kept string.
  private static func optionalText(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Value) -> String? {
    if case .text(let range) = value { return text(bytes, range) }
    return nil
  }

  private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    String(decoding: slice(bytes, range), as: UTF8.self)
  }

  private static func slice(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: bytes[range])
  }

  /// The value ranges of the top-level members read, by key.
  struct Record {
    var ranges = [Range<Int>?](repeating: nil, count: TopLevelKey.allCases.count)
    subscript(_ key: TopLevelKey) -> Range<Int>? { ranges[key.rawValue] }
  }

  /// The `userIdentity` scalars the fields above derive from.
  struct Identity {
    /// Whether the record has a `userIdentity` object (one that pruning empties reads the same:
    /// every field below is then absent).
    var present = false
    var type = Value.absent, invokedBy = Value.absent, accountID = Value.absent, userName = Value.absent
    var issuerARN = Value.absent, issuerUserName = Value.absent

    /// nil when a value this reader sets as is (invokedBy, accountId) is not a string. `range`
    /// lies in a record `lt_object_members` accepted.
    init?(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>?) {
      guard let range, bytes[range.lowerBound] == UInt8(ascii: "{") else { return }
      present = true
      var session: Range<Int>?
      let complete = ScalarRecordReader.members(bytes, range, accepted: true) { key, value in
        switch key {
        case "type": type = ScalarRecordReader.value(bytes, value)
        case "invokedBy": invokedBy = ScalarRecordReader.value(bytes, value)
        case "accountId": accountID = ScalarRecordReader.value(bytes, value)
        case "userName": userName = ScalarRecordReader.value(bytes, value)
        case "sessionContext": session = value
        default: break
        }
      }
      guard complete, invokedBy.isTextOrAbsent, accountID.isTextOrAbsent else { return nil }
      guard let session, bytes[session.lowerBound] == UInt8(ascii: "{") else { return }
      var issuer: Range<Int>?
      guard ScalarRecordReader.members(bytes, session, accepted: true, { key, value in if key == "sessionIssuer" { issuer = value } }) else { return nil }
      guard let issuer, bytes[issuer.lowerBound] == UInt8(ascii: "{") else { return }
      let read = ScalarRecordReader.members(bytes, issuer, accepted: true) { key, value in
        switch key {
        case "arn": issuerARN = ScalarRecordReader.value(bytes, value)
        case "userName": issuerUserName = ScalarRecordReader.value(bytes, value)
        default: break
        }
      }
      guard read else { return nil }
    }
  }

  /// Calls `body` with each member of the plain JSON object at `range`, in order; false (and no
  /// calls) when `lt_object_members` refuses it. `accepted`: the object is part of a record
  /// already accepted, so it is listed without being checked again.
  private static func members(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, accepted: Bool = false, _ body: (StaticKey, Range<Int>) -> Void) -> Bool {
    withUnsafeTemporaryAllocation(of: lt_member.self, capacity: 64) { members -> Bool in
      let start = bytes.baseAddress! + range.lowerBound
      let count = Int(accepted ? lt_accepted_object_members(start, range.count, members.baseAddress, 64) : lt_object_members(start, range.count, members.baseAddress, 64))
      guard count >= 0 else { return false }
      for member in members.prefix(count) {
        let key = UnsafeBufferPointer(rebasing: bytes[range.lowerBound + Int(member.key_start)..<range.lowerBound + Int(member.key_end)])
        body(StaticKey(key), range.lowerBound + Int(member.value_start)..<range.lowerBound + Int(member.value_end))
      }
      return true
    }
  }

  /// A key's bytes, compared with string literals without building a String.
  struct StaticKey {
    let bytes: UnsafeBufferPointer<UInt8>
    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
    static func ~= (literal: StaticString, key: StaticKey) -> Bool { key.bytes.bytes(in: 0..<key.bytes.count, equal: literal) }
    static func == (key: StaticKey, literal: StaticString) -> Bool { literal ~= key }
  }
}

extension ScalarRecordReader {
  /// How the reader's document for a record compares with the full path's.
  public enum Agreement: Equatable, Sendable {
    /// The reader left the record to the full path.
    case declined
    case agrees
    case differs(String)
  }

  /// For tests and the fuzzer: reads a record both ways (the shipped rules, no exclusions) and
  /// compares. Whatever the reader accepts must parse, be raw CloudTrail, have the same possible
  /// rules and map, under that projection, to exactly the same document (keys in the same order).
  public static func agreement(_ bytes: [UInt8]) -> Agreement {
    guard let gating = RuleGating.shippedGating else { return .differs("the shipped rules do not compile") }
    return bytes.withUnsafeBufferPointer { buffer -> Agreement in
      guard let read = scalars(buffer, gating: gating) else { return .declined }
      let document = document(read.values)
      guard let value = try? JSONParser.parse(buffer) else { return .differs("read, but the parser rejects it") }
      guard case .cloudTrail(let record) = RecordKind.classify(value) else { return .differs("read, but not classified as raw CloudTrail") }
      let mask = gating.possibleRules(action: record["eventName"].flatMap(CloudTrailMapper.scalarText))
      guard mask == read.possibleRules else { return .differs("possible rules \(read.possibleRules), mapper \(mask)") }
      let expected = CloudTrailMapper.map(record, original: nil, projection: gating.projection(for: mask))
      guard expected == document else {
        return .differs("read \(JSONWriter.compact(.object(document))), mapped \(JSONWriter.compact(.object(expected)))")
      }
      return scalarEventAgrees(read.values, document: document)
    }
  }

  /// Half of IPv4 in a cloud provider's ASN and half elsewhere, so enriched events take both
  /// answers of rule B's organisation test.
  private static let agreementEnricher = SourceEnricher(asn: try? IP2ASNTable(contents: """
    0.0.0.0\t127.255.255.255\t16509\tUS\tAMAZON-02
    128.0.0.0\t255.255.255.255\t64500\tNL\tExample Hosting
    """, path: "agreement.tsv"))

  /// The event detection makes of the values (fields read in place, enrichment looked up) reads as
  /// the enriched document does: every scan field, the time, the rules' verdicts, the terms.
  private static func scalarEventAgrees(_ values: [JSONValue?], document mapped: JSONObject) -> Agreement {
    guard let evaluators = RuleGating.shippedEvaluators() else { return .differs("the shipped rules do not compile") }
    let address = values[Field.sourceIP.rawValue]?.stringValue
    let event = ScalarEvent(values: values, lookup: address.map { agreementEnricher.lookUp($0) })
    var document = mapped
    _ = try? agreementEnricher.enrich(&document)
    for path in fields.sorted() + ["source.as.number", "source", "nope"] where event.value(at: FieldPath(path)) != document[path: path] {
      return .differs("\(path) reads \(String(describing: event.value(at: FieldPath(path)))) from the values, \(String(describing: document[path: path])) from the document")
    }
    guard DetectionTime.of(event) == DetectionTime.of(document) else { return .differs("event time") }
    for (r, evaluator) in evaluators.enumerated() where evaluator.matches(EventFields.scalars(event)) != evaluator.matches(document) {
      return .differs("rule \(r) decides differently on the values")
    }
    for rule in BuiltinRules.all where !rule.newTermsFields.isEmpty {
      let paths = rule.newTermsFields.map(FieldPath.init), limits = rule.newTermsFields.map(QueryEvaluator.limit(of:))
      guard Detection.termCombinations(event, fields: paths, limits: limits) == Detection.termCombinations(document, fields: paths, limits: limits) else {
        return .differs("new terms of \(rule.name)")
      }
    }
    return .agrees
  }
}

/// The top-level members of a raw CloudTrail record (AWS's record contents reference). A record
/// with any other key (an ECS or alert document, a digest, an insight) is left to the full path.
enum TopLevelKey: Int, CaseIterable {
  case eventVersion, userIdentity, eventTime, eventSource, eventName, sourceIPAddress, eventID, eventType
  case recipientAccountId, errorCode, errorMessage
  case awsRegion, userAgent, requestParameters, responseElements, additionalEventData, requestID, apiVersion
  case managementEvent, readOnly, resources, serviceEventDetails, sharedEventID, sharedEventId, vpcEndpointId
  case vpcEndpointAccountId, eventCategory, addendum, sessionCredentialFromConsole, edgeDeviceDetails, tlsDetails

  private static let byLength: [[(bytes: [UInt8], key: TopLevelKey)]] = {
    var table = [[(bytes: [UInt8], key: TopLevelKey)]](repeating: [], count: 32)
    for key in allCases {
      let bytes = Array(String(describing: key).utf8)
      table[bytes.count].append((bytes, key))
    }
    return table
  }()

  /// The key spelled by these bytes (without quotes).
  init?(_ key: UnsafeBufferPointer<UInt8>) {
    let length = key.count
    guard length > 0, length < Self.byLength.count, let start = key.baseAddress else { return nil }
    for candidate in Self.byLength[length] where candidate.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, start, length) == 0 }) {
      self = candidate.key
      return
    }
    return nil
  }
}
