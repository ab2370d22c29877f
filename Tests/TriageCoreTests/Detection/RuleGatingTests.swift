import Testing
@testable import TriageCore

/// A raw record's action decides which rules are evaluated and what is mapped for them; a gate may
/// only rule out what the rule's own query rejects.
@Suite struct RuleGatingTests {
  static let rules = BuiltinRules.all
  static let evaluators = rules.map { QueryEvaluator(try! $0.compiledQuery()) }

  @Test("Each shipped rule is gated on its action patterns, with its own case rules")
  func shippedGates() {
    let gating = RuleGating(rules: Self.rules, evaluators: Self.evaluators, exclusions: [], indexing: false)
    #expect(gating.possibleRules(action: "CreateFunctionUrlConfig20211031") == 0b01)
    #expect(gating.possibleRules(action: "updatefunctionurlconfig") == 0b01)  // EQL ':' ignores case
    #expect(gating.possibleRules(action: "Invoke") == 0b10)
    #expect(gating.possibleRules(action: "InvokeAsync") == 0b10)
    #expect(gating.possibleRules(action: "invoke") == 0)  // KQL Invoke* is case-sensitive
    #expect(gating.possibleRules(action: "GetFunction") == 0)
    #expect(gating.possibleRules(action: nil) == 0)
    // An Invoke record is mapped without rule A's rendered parameters.
    #expect(!gating.projection(for: 0b10).wants("aws.cloudtrail.request_parameters"))
    #expect(gating.projection(for: 0b01).wants("aws.cloudtrail.request_parameters"))
    #expect(gating.projection(for: 0b10).wants("aws.cloudtrail.user_identity.invoked_by"))
  }

  @Test("For every action, a rule the gate rules out does not match the fully mapped event")
  func gateNeverHidesAMatch() throws {
    let gating = RuleGating(rules: Self.rules, evaluators: Self.evaluators, exclusions: [], indexing: false)
    for action in ["Invoke", "invoke", "Invoke20150331", "CreateFunctionUrlConfig20211031", "CREATEFUNCTIONURLCONFIG", "UpdateFunctionUrlConfig", "", "-", "none", "GetFunction", "Inv"] {
      let record = try JSONParser.parse("""
        {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u","userName":"u","accountId":"1"},\
        "eventTime":"2026-11-05T09:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"\(action)","sourceIPAddress":"81.2.69.160",\
        "requestParameters":{"authType":"NONE","functionName":"f"}}
        """).objectValue!
      var document = CloudTrailMapper.map(record, original: nil)
      document.set(path: "source.as.organization.name", .string("Example Hosting"))
      let mask = gating.possibleRules(action: action)
      for r in Self.rules.indices where Self.evaluators[r].matches(document) {
        #expect(mask & (1 << r) != 0, "\(action) matches rule \(r) but was gated out")
      }
    }
  }

  @Test("A rule without an action condition, or with a negated one, is always possible")
  func ungated() throws {
    let queries = ["event.provider: \"lambda.amazonaws.com\"", "not event.action: Invoke*", "event.action: Invoke* or user.name: x"]
    for query in queries {
      let predicate = try KQLParser.compile(query)
      #expect(RuleGating.actionTests(predicate) == nil, "\(query)")
    }
    let union = try #require(RuleGating.actionTests(try KQLParser.compile("event.action: (Invoke* or CreateFunction*) and user.name: x")))
    #expect(union.count == 2)
  }
}
