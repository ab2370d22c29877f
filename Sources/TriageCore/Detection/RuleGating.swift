/// Which rules a raw CloudTrail record can still match once its action is known, and what to map
/// for exactly those. Both shipped rules require `event.action` to match a pattern (URL config
/// calls, `Invoke*`), so an `Invoke` record need not have its request parameters rendered for
/// rule A, nor be evaluated against it. A rule whose query has no such condition is always
/// possible; the gate only ever rules out what the query itself would reject.
public struct RuleGating: Sendable {
  /// Per rule, the tests of which `event.action` must pass one; nil when the query does not say.
  let gates: [[CompiledTest]?]
  /// The projection for each set of possible rules (bit r = rule r), when there are few rules.
  private let projections: [MappingProjection]
  private let unread: [[Int]]
  /// Per slot, the ScalarRecordReader fields its projection wants; nil when the reader cannot
  /// build it (the projection names other fields).
  private let scalarSlots: [Int?]
  /// Whether any set of possible rules can be read by ScalarRecordReader: if none, records are
  /// not offered to it (asked for every parsed record, so worked out once).
  let readsAnyScalars: Bool
  let allRules: Int

  /// - Parameter readScalars: let ScalarRecordReader build the documents it can (off to compare
  ///   with the full path).
  init(rules: [DetectionRule], evaluators: [QueryEvaluator], exclusions: [Exclusion], indexing: Bool, readScalars: Bool = true) {
    gates = evaluators.map { RuleGating.actionTests($0.predicate).map { $0.map(CompiledTest.init) } }
    allRules = (1 << rules.count) - 1
    if rules.count <= 6 {
      projections = (0...allRules).map { mask in
        let chosen = rules.indices.filter { mask & (1 << $0) != 0 }
        return Detection.scanProjection(rules: chosen.map { rules[$0] }, evaluators: chosen.map { evaluators[$0] }, exclusions: exclusions, indexing: indexing)
      }
    } else {
      projections = [Detection.scanProjection(rules: rules, evaluators: evaluators, exclusions: exclusions, indexing: indexing)]
    }
    scalarSlots = projections.map { readScalars ? ScalarRecordReader.fieldMask(for: $0) : nil }
    readsAnyScalars = scalarSlots.contains { $0 != nil }
    unread = projections.map { projection in
      CloudTrailMapper.SpecialEvent.allCases.map { CloudTrailMapper.unreadLargeMembers(event: $0, for: projection) }
    }
  }

  /// For each set of possible rules and each special event, the large record members the
  /// mapping does not read (bits as in `CloudTrailMapper.largeMembers`).
  func unreadLargeMembers(mask: Int, event: CloudTrailMapper.SpecialEvent) -> Int {
    unread[slot(mask)][event.rawValue]
  }

  /// Parses a record, leaving the large members of raw CloudTrail that the mapping for its
  /// possible rules does not read unbuilt (validated, kept as null). The decision waits until the
  /// record has shown it is CloudTrail (`eventVersion` or `eventSource`) and named its action.
  func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> (value: JSONValue, skipped: Bool) {
    var unread: Int?
    return try JSONParser.parse(bytes, skippingTopLevel: { key, before in
      guard let member = CloudTrailMapper.largeMemberIndex(key) else { return false }
      if unread == nil {
        guard before.contains(where: { $0.key == "eventVersion" || $0.key == "eventSource" }),
          let name = before.first(where: { $0.key == "eventName" })
        else { return false }
        let eventName = CloudTrailMapper.scalarText(name.value)
        unread = unreadLargeMembers(mask: possibleRules(action: eventName), event: CloudTrailMapper.SpecialEvent(eventName))
      }
      return unread! & (1 << member) != 0
    })
  }

  /// The rules (as bits) a record with this `eventName` text (nil: none) can match.
  func possibleRules(action: String?) -> Int {
    guard projections.count > 1 else { return allRules }
    var mask = 0
    for r in gates.indices {
      guard let gate = gates[r] else {
        mask |= 1 << r
        continue
      }
      if let action, CompiledTest.anyMatches(gate, action) { mask |= 1 << r }
    }
    return mask
  }

  func projection(for mask: Int) -> MappingProjection { projections[slot(mask)] }

  /// The ScalarRecordReader fields to build for a record whose possible rules are `mask`; nil
  /// when that record is for the mapper.
  func scalarFields(mask: Int) -> Int? { scalarSlots[slot(mask)] }

  /// Where a set of possible rules is kept: by mask, or the one slot when rules are not gated.
  private func slot(_ mask: Int) -> Int { projections.count > 1 ? mask : 0 }

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

  /// For the fuzzer: false when the gated parse of a record accepts or rejects differently from a
  /// full parse, or maps any field detection reads differently (shipped rules, no exceptions).
  public static func agreesWithFullParse(_ bytes: [UInt8]) -> Bool {
    guard let gating = shippedGating else { return false }
    return bytes.withUnsafeBufferPointer { buffer in
      let lazy = Result { () throws(JSONError) in try gating.parse(buffer) }
      let full = Result { () throws(JSONError) in try JSONParser.parse(buffer) }
      switch (lazy, full) {
      case (.failure(let a), .failure(let b)): return a == b
      case (.success(let partial), .success(let whole)):
        let leanKind = RecordKind.classify(partial.value)
        guard case .cloudTrail(let record) = RecordKind.classify(whole) else {
          // The reader parses again in full only what the lean parse does not call raw
          // CloudTrail, so calling raw CloudTrail what is not would slip past it.
          if case .cloudTrail = leanKind { return false }
          return true
        }
        // Anything else is parsed again in full by the reader.
        guard case .cloudTrail(let lean) = leanKind else { return true }
        let projection = gating.projection(for: gating.possibleRules(action: record["eventName"].flatMap(CloudTrailMapper.scalarText)))
        let expected = CloudTrailMapper.map(record, original: nil)
        let got = CloudTrailMapper.map(lean, original: nil, projection: projection)
        return projection.fields.allSatisfy { $0 == "event.original" || got[path: $0] == expected[path: $0] }
      default: return false
      }
    }
  }

  /// The shipped rules' gating without exclusions or index (for the differential checks).
  static let shippedGating: RuleGating? = shippedEvaluators().map { RuleGating(rules: BuiltinRules.all, evaluators: $0, exclusions: [], indexing: false) }

  /// Compiled afresh for each caller: held in a static, their enum trees (whose pointers carry
  /// tag bits) read as leaks to LeakSanitizer, which the fuzzer then reports as a crash at exit.
  static func shippedEvaluators() -> [QueryEvaluator]? { try? BuiltinRules.all.map { QueryEvaluator(try $0.compiledQuery()) } }
}
