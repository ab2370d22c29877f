import TriageCore

/// The rest of an alert's row beyond its outline: the columns that need lookups deep in the
/// event (function, principal, addresses) and the search text. Most of a row's cost is here, so
/// it is built when the row is first drawn, or for every alert once the first frame is up.
struct AlertRowDetail: Sendable, Equatable {
  var function: String
  var principal: String
  var sourceIP: String
  var asnOrganization: String
  /// Every visible field, lowercased, for `/` search.
  var searchText: String

  init(_ alert: Alert, outline: AlertOutline) {
    function = AlertRow.functionName(alert)
    principal = alert.string("user.name") ?? alert.string("aws.cloudtrail.user_identity.arn") ?? ""
    sourceIP = alert.string("source.ip") ?? alert.string("source.address") ?? ""
    asnOrganization = alert.string("source.as.organization.name") ?? ""
    searchText = AlertRow.searchText([
      outline.time, outline.severity, outline.rule, function, principal, sourceIP, asnOrganization, outline.ruleName,
    ])
  }
}
