/// Which rules a raw CloudTrail record can still match once its action is known, and what to map
/// for exactly those. Both shipped rules require `event.action` to match a pattern (URL config
/// calls, `Invoke*`), so an `Invoke` record need not have its request parameters rendered for
/// rule A, nor be evaluated against it. A rule whose query has no such condition is always
/// possible; the gate only ever rules out what the query itself would reject.
struct RuleGating: Sendable {
  /// Per rule, the tests of which `event.action` must pass one; nil when the query does not say.
  let gates: [[CompiledTest]?]
  /// The projection for each set of possible rules (bit r = rule r), when there are few rules.
  private let projections: [MappingProjection]
  let allRules: Int

  init(rules: [DetectionRule], evaluators: [QueryEvaluator], exclusions: [Exclusion], indexing: Bool) {
    gates = evaluators.map { RuleGating.actionTests($0.predicate).map { $0.map(CompiledTest.init) } }
    allRules = (1 << rules.count) - 1
    guard rules.count <= 6 else {
      projections = [Detection.scanProjection(rules: rules, evaluators: evaluators, exclusions: exclusions, indexing: indexing)]
      return
    }
    projections = (0...allRules).map { mask in
      let chosen = rules.indices.filter { mask & (1 << $0) != 0 }
      return Detection.scanProjection(rules: chosen.map { rules[$0] }, evaluators: chosen.map { evaluators[$0] }, exclusions: exclusions, indexing: indexing)
    }
  }

  /// The rules (as bits) a record with this `eventName` text (nil: none) can match.
  func possibleRules(action: String?) -> Int {
    guard projections.count > 1 else { return allRules }
    var mask = 0
    for (r, gate) in gates.enumerated() {
      guard let gate else {
        mask |= 1 << r
        continue
      }
      if let action, gate.contains(where: { $0.matches(action) }) { mask |= 1 << r }
    }
    return mask
  }

  func projection(for mask: Int) -> MappingProjection {
    projections.count > 1 ? projections[mask] : projections[0]
  }

  /// Tests one of which `event.action` must pass for the predicate to hold: a conjunction needs
  /// only one gated term; a disjunction is gated when every branch is (the union of theirs).
  static func actionTests(_ predicate: QueryPredicate) -> [ValueTest]? {
    switch predicate {
    case .value(let field, let test) where field == "event.action": return [test]
    case .all(let terms):
      for term in terms { if let tests = actionTests(term) { return tests } }
      return nil
    case .any(let terms):
      var union: [ValueTest] = []
      for term in terms {
        guard let tests = actionTests(term) else { return nil }
        union += tests
      }
      return terms.isEmpty ? nil : union
    default: return nil
    }
  }
}
