import Testing
@testable import TriageCore

@Suite("Exclusion proposals")
struct ExclusionProposalTests {
  func alert(_ rule: DetectionRule, _ fields: [String: String]) -> Alert {
    var d = JSONObject()
    d.set(path: "kibana.alert.rule.rule_id", .string(rule.ruleID))
    for (k, v) in fields.sorted(by: { $0.key < $1.key }) { d.set(path: k, .string(v)) }
    return Alert(document: d)
  }

  @Test("public URL: the function (flattened field) and the identity, then both")
  func ruleA() {
    var a = alert(BuiltinRules.lambdaFunctionURLPublic, ["aws.cloudtrail.user_identity.arn": "arn:aws:iam::1:user/dev"])
    a.document.set(path: "aws.cloudtrail.flattened.request_parameters", .object(JSONObject([JSONMember("functionName", .string("hook"))])))
    let summaries = ExclusionProposal.proposals(for: a).map(\.summary)
    #expect(summaries == [
      "aws.cloudtrail.flattened.request_parameters.functionName is \"hook\"",
      "aws.cloudtrail.user_identity.arn is \"arn:aws:iam::1:user/dev\"",
      "aws.cloudtrail.flattened.request_parameters.functionName is \"hook\" AND aws.cloudtrail.user_identity.arn is \"arn:aws:iam::1:user/dev\"",
    ])
  }

  @Test("public URL without the flattened object: a wildcard over the rendered parameters that matches the event")
  func ruleAWildcard() {
    let a = alert(BuiltinRules.lambdaFunctionURLPublic, ["aws.cloudtrail.request_parameters": "{functionName=partner-hook, authType=NONE}"])
    let first = ExclusionProposal.proposals(for: a)[0]
    #expect(first.entries == [ExclusionEntry(field: "aws.cloudtrail.request_parameters", kind: .wildcard("*functionName=partner-hook*"))])
    #expect(first.entries[0].matches(a.document))
  }

  @Test("unusual ASN: organisation, number, identity, access key, then pairs; missing fields are skipped")
  func ruleB() {
    let a = alert(BuiltinRules.lambdaInvokeUnusualASN, [
      "source.as.organization.name": "M247", "source.as.number": "9009",
      "aws.cloudtrail.user_identity.arn": "arn:r", "aws.cloudtrail.user_identity.access_key_id": "AKIAX",
    ])
    let proposals = ExclusionProposal.proposals(for: a)
    #expect(proposals.map { $0.entries.map(\.field) } == [
      ["source.as.organization.name"], ["source.as.number"], ["aws.cloudtrail.user_identity.arn"],
      ["aws.cloudtrail.user_identity.access_key_id"],
      ["source.as.organization.name", "aws.cloudtrail.user_identity.arn"],
      ["source.as.number", "aws.cloudtrail.user_identity.arn"],
      ["source.as.organization.name", "aws.cloudtrail.user_identity.access_key_id"],
    ])
    #expect(proposals.allSatisfy { p in p.entries.allSatisfy { $0.matches(a.document) } })
    let sparse = alert(BuiltinRules.lambdaInvokeUnusualASN, ["aws.cloudtrail.user_identity.arn": "arn:r"])
    #expect(ExclusionProposal.proposals(for: sparse).map(\.summary) == ["aws.cloudtrail.user_identity.arn is \"arn:r\""])
    // Without a number, the pairs are still the right ones.
    let noNumber = alert(BuiltinRules.lambdaInvokeUnusualASN, [
      "source.as.organization.name": "M247", "aws.cloudtrail.user_identity.arn": "arn:r", "aws.cloudtrail.user_identity.access_key_id": "AKIAX",
    ])
    #expect(ExclusionProposal.proposals(for: noNumber).map { $0.entries.map(\.field) } == [
      ["source.as.organization.name"], ["aws.cloudtrail.user_identity.arn"], ["aws.cloudtrail.user_identity.access_key_id"],
      ["source.as.organization.name", "aws.cloudtrail.user_identity.arn"], ["source.as.organization.name", "aws.cloudtrail.user_identity.access_key_id"],
    ])
  }

  @Test("an assumed role is proposed by the role that issued the session, and its temporary key not at all: both would match that session only")
  func assumedRole() {
    let a = alert(BuiltinRules.lambdaInvokeUnusualASN, [
      "source.as.organization.name": "M247", "aws.cloudtrail.user_identity.type": "AssumedRole",
      "aws.cloudtrail.user_identity.arn": "arn:aws:sts::111122223333:assumed-role/etl-role/etl-01",
      "aws.cloudtrail.user_identity.session_context.session_issuer.arn": "arn:aws:iam::111122223333:role/etl-role",
      "aws.cloudtrail.user_identity.access_key_id": "ASIA3EXAMPLE",
    ])
    #expect(ExclusionProposal.proposals(for: a).map(\.summary) == [
      "source.as.organization.name is \"M247\"",
      "aws.cloudtrail.user_identity.session_context.session_issuer.arn is \"arn:aws:iam::111122223333:role/etl-role\"",
      "source.as.organization.name is \"M247\" AND aws.cloudtrail.user_identity.session_context.session_issuer.arn is \"arn:aws:iam::111122223333:role/etl-role\"",
    ])
    #expect(ExclusionProposal.proposals(for: a).allSatisfy { p in p.entries.allSatisfy { $0.matches(a.document) } })
  }
}
