/// The `userIdentity` part of the mapping, where Elastic's rules for `user.*`, `service.name`
/// and `related.user` depend on the identity type (REF, 8.9.0).
struct IdentityMapping {
  static let serviceRoleMarker = ":role/aws-service-role/"
  let identity: JSONObject?
  let type: String?
  let isServiceActor: Bool
  let serviceName: String?

  init(record: JSONObject) {
    identity = record["userIdentity"]?.objectValue
    type = identity?["type"]?.stringValue
    let invokedBy = identity?["invokedBy"]?.stringValue
    let issuerARN = identity?[path: "sessionContext.sessionIssuer.arn"]?.stringValue
    isServiceActor = Self.isServiceActor(type: type, issuerARN: issuerARN)
    if type == "AWSService" {
      serviceName = invokedBy
    } else if isServiceActor, let issuerARN, let marker = issuerARN.byteOffset(of: Self.serviceRoleMarker) {
      let after = issuerARN.utf8.dropFirst(marker + Self.serviceRoleMarker.utf8.count)
      serviceName = invokedBy ?? after.split(separator: UInt8(ascii: "/")).first.map { String(decoding: $0, as: UTF8.self) }
    } else {
      serviceName = nil
    }
  }

  /// An AWS service acting for itself (its own type, or one of its service-linked roles): such an
  /// identity gets `service.name` instead of `user.*`.
  static func isServiceActor(type: String?, issuerARN: String?) -> Bool {
    type == "AWSService" || (type == "AssumedRole" && issuerARN.map { $0.byteOffset(of: serviceRoleMarker) != nil } == true)
  }

  /// `user.name` of a person or role: a session's issuer for assumed and federated sessions, else
  /// the identity's own name (the caller adds the UserAuthentication fallback).
  static func userName(type: String?, own: String?, issuer: @autoclosure () -> String?) -> String? {
    if type == "AssumedRole" || type == "FederatedUser", let issuer = issuer() { return issuer }
    return own
  }

  func apply(to doc: inout DocumentBuilder, record: JSONObject) {
    guard let identity else {
      doc.set("cloud.account.id", record["recipientAccountId"])
      return
    }
    doc.set("aws.cloudtrail.user_identity.type", identity["type"])
    doc.set("aws.cloudtrail.user_identity.arn", identity["arn"])
    doc.set("aws.cloudtrail.user_identity.access_key_id", identity["accessKeyId"])
    doc.set("aws.cloudtrail.user_identity.invoked_by", identity["invokedBy"])
    doc.set("aws.cloudtrail.user_identity.credential_id", identity["credentialId"])
    doc.set("aws.cloudtrail.user_identity.identity_provider", identity["identityProvider"])
    doc.set("aws.cloudtrail.user_identity.invoked_by_delegate.account_id", identity[path: "invokedByDelegate.accountId"])
    if case .object(let scope)? = identity["inScopeOf"] {
      doc.set("aws.cloudtrail.user_identity.in_scope_of.issuer_type", scope["issuerType"])
      doc.set("aws.cloudtrail.user_identity.in_scope_of.credentials_issued_to", scope["credentialsIssuedTo"])
      doc.set("aws.cloudtrail.user_identity.in_scope_of.source_arn", scope["sourceArn"])
      doc.set("aws.cloudtrail.user_identity.in_scope_of.source_account", scope["sourceAccount"])
    }
    if case .object(let behalf)? = identity["onBehalfOf"] {
      doc.set("aws.cloudtrail.user_identity.on_behalf_of.user_id", behalf["userId"])
      doc.set("aws.cloudtrail.user_identity.on_behalf_of.identity_store_arn", behalf["identityStoreArn"])
    }
    // Whole blocks are skipped when a projection wants nothing in them.
    if doc.wants("aws.cloudtrail.user_identity.session_context"), case .object(let session)? = identity["sessionContext"] {
      if let mfa = session[path: "attributes.mfaAuthenticated"] {
        doc.set("aws.cloudtrail.user_identity.session_context.mfa_authenticated", CloudTrailMapper.scalarText(mfa).map { .string($0) })
      }
      if let created = session[path: "attributes.creationDate"]?.stringValue, let millis = Self.parseCreationDate(created) {
        doc.set("aws.cloudtrail.user_identity.session_context.creation_date", .string(Timestamp.format(millis: millis)))
      }
      if case .object(let issuer)? = session["sessionIssuer"] {
        doc.set("aws.cloudtrail.user_identity.session_context.session_issuer.type", issuer["type"])
        doc.set("aws.cloudtrail.user_identity.session_context.session_issuer.principal_id", issuer["principalId"])
        doc.set("aws.cloudtrail.user_identity.session_context.session_issuer.arn", issuer["arn"])
        doc.set("aws.cloudtrail.user_identity.session_context.session_issuer.account_id", issuer["accountId"])
      }
      doc.set("aws.cloudtrail.user_identity.session_context.ec2_role_delivery", session["ec2RoleDelivery"])
      doc.set("aws.cloudtrail.user_identity.session_context.source_identity", session["sourceIdentity"])
      doc.set("aws.cloudtrail.user_identity.session_context.web_id_federation_data.federated_provider", session[path: "webIdFederationData.federatedProvider"])
      doc.set("aws.cloudtrail.user_identity.session_context.web_id_federation_data.attributes", session[path: "webIdFederationData.attributes"])
      doc.set("aws.cloudtrail.user_identity.session_context.assumed_root", session["assumedRoot"])
      doc.set("aws.cloudtrail.user_identity.session_context.sign_in_session_arn", session["signInSessionArn"])
    }
    doc.set("cloud.account.id", identity["accountId"] ?? record["recipientAccountId"])

    if isServiceActor {
      doc.set("service.name", serviceName.map { .string($0) })
      return
    }
    var userName = Self.userName(type: type, own: identity["userName"]?.stringValue, issuer: identity[path: "sessionContext.sessionIssuer.userName"]?.stringValue)
    if userName == nil, record["eventName"]?.stringValue == "UserAuthentication" {
      userName = record[path: "additionalEventData.UserName"]?.stringValue
    }
    doc.set("user.name", userName.map { .string($0) })
    var userID = identity["principalId"]?.stringValue
    if userID == nil, type == "IdentityCenterUser" { userID = identity[path: "onBehalfOf.userId"]?.stringValue }
    doc.set("user.id", userID.map { .string($0) })
  }

  /// REF accepts ISO 8601 and `basic_date_time_no_millis` (`20131102T010628Z`).
  static func parseCreationDate(_ text: String) -> Int64? {
    if let millis = Timestamp.parseMillis(text) { return millis }
    let u = Array(text.utf8)
    guard u.count == 16, u[8] == UInt8(ascii: "T"), u[15] == UInt8(ascii: "Z") else { return nil }
    let s = String(decoding: u, as: UTF8.self)
    let iso = "\(s.prefix(4))-\(s.dropFirst(4).prefix(2))-\(s.dropFirst(6).prefix(2))T\(s.dropFirst(9).prefix(2)):\(s.dropFirst(11).prefix(2)):\(s.dropFirst(13).prefix(2))Z"
    return Timestamp.parseMillis(iso)
  }

  /// `related.user` and `user.email`, in the pipeline's order: the session name from an STS
  /// ARN, user names from the request and response, then user.id, user.name, user.changes.name
  /// and on_behalf_of.user_id.
  func applyRelatedUsers(to doc: inout DocumentBuilder, request: JSONObject?, response: JSONObject?) {
    guard doc.wants("related.user") || doc.wants("user.email") else { return }
    if ["AssumedRole", "FederatedUser", "IdentityCenterUser"].contains(type ?? ""),
      let arn = identity?["arn"]?.stringValue, arn.hasPrefix("arn:"), arn.containsBytes(":sts:"),
      let slash = arn.lastIndex(of: "/")
    {
      let session = String(arn[arn.index(after: slash)...])
      if !session.isEmpty {
        doc.appendUnique("related.user", session)
        if let at = session.firstIndex(of: "@"), at > session.startIndex {
          doc.appendUnique("related.user", String(session[..<at]))
          if doc["user.email"] == nil { doc.set("user.email", .string(session)) }
        }
      }
    }
    if let name = doc["user.name"]?.stringValue, let at = name.firstIndex(of: "@"), at > name.startIndex,
      doc["user.email"] == nil
    {
      doc.set("user.email", .string(name))
    }
    for value in [request?["userName"], request?["newUserName"], response?[path: "user.userId"]] {
      if let text = value?.stringValue { doc.appendUnique("related.user", text) }
    }
    for path in ["user.id", "user.name", "user.changes.name", "aws.cloudtrail.user_identity.on_behalf_of.user_id"] {
      if let text = doc[path]?.stringValue { doc.appendUnique("related.user", text) }
    }
  }
}
