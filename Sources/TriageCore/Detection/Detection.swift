import Foundation

/// A local detection run: reads the inputs once, remembers only what matched, replays Kibana's
/// scheduled executions per rule, and builds alert documents for the chosen events.
public enum Detection {
  public static func run(
    _ options: DetectionOptions,
    progress: (@Sendable (DetectionProgress) -> Void)? = nil,
    isCancelled: (@Sendable () -> Bool)? = nil
  ) throws(DetectionError) -> DetectionReport {
    let started = Date()
    var summary = DetectionSummary()
    let expanded: InputFileFinder.Result
    do { expanded = try InputFileFinder().expand(options.paths) } catch { throw .input(error) }
    summary.warnings.append(contentsOf: expanded.warnings.map(\.description))
    let setup = try StandardPipeline.make(for: options)
    summary.enrichment = setup.descriptions
    summary.hasASNDatabase = setup.hasASNDatabase

    let rules = options.rules
    var evaluators: [QueryEvaluator] = []
    for rule in rules {
      do { evaluators.append(QueryEvaluator(try rule.compiledQuery())) } catch { throw .query(rule: rule.name, error) }
    }
    let files = expanded.files
    var reader = EventReader(files: files, pipeline: setup.pipeline, prefilter: true, maxListedIssues: options.maxListedIssues)
    reader.wholeGzipLimit = options.wholeGzipLimit
    let now = options.now ?? Int64(Date().timeIntervalSince1970 * 1000)
    let exclusions = rules.map { rule in options.exclusions.filter { $0.applies(to: rule.ruleID, at: now) } }
    if options.projectMapping {
      reader.gating = RuleGating(rules: rules, evaluators: evaluators, exclusions: exclusions.flatMap { $0 }, indexing: options.evidenceIndexBudget != nil, readScalars: options.readScalars)
    }
    let workers = options.workers ?? ProcessInfo.processInfo.activeProcessorCount
    let units = ParallelScan.plan(files, workers: workers, threshold: options.parallelChunkBytes)
    let budget = options.evidenceIndexBudget.map { ByteBudget(bytes: $0) }
    let (scanned, scannedIndex) = try ParallelScan.run(units: units, workers: workers, files: files, reader: reader, rules: rules, evaluators: evaluators, exclusions: exclusions, started: started, indexBudget: budget, keptRecordBytes: options.keptRecordBytes, progress: progress, isCancelled: isCancelled)

    // Merge per-file results in file order, so the outcome does not depend on thread timing.
    var matches = [[RuleMatch]](repeating: [], count: rules.count)
    var terms = [TermTable](repeating: TermTable(), count: rules.count)
    var imported: [Alert] = []
    var eventsMissingASN = 0
    var numbering = ChunkNumbering()
    var index = scannedIndex
    index?.files = files.map(\.path)
    // Each unit is let go once merged, so its matches are not held twice.
    var scans = scanned
    for r in rules.indices { matches[r].reserveCapacity(scans.reduce(0) { $0 + $1.matches[r].count }) }
    for unitIndex in scans.indices {
      var scan = scans[unitIndex]
      scans[unitIndex] = FileScan(rules: 0)
      let base = numbering.base(of: units[unitIndex], scan.extent)
      scan.summary.issues = scan.summary.issues.map { $0.renumbered(base) }
      scan.summary.enrichmentFailures = scan.summary.enrichmentFailures.map { $0.renumbered(base) }
      scan.summary.reportEnrichmentFailures()
      summary.absorb(scan.summary, maxListedIssues: options.maxListedIssues)
      eventsMissingASN += scan.eventsMissingASN
      imported.append(contentsOf: scan.imported)
      for (r, pending) in scan.matches.enumerated() {
        let global = scan.terms[r].values.map { terms[r].intern($0) }
        for match in pending {
          var location = match.location
          if location.line > 0 { location.line += Int32(base.lines) }
          location.recordIndex = Int32(base.recordIndex(Int(location.recordIndex), at: location.offset))
          let term = match.term >= 0 ? global[Int(match.term)] : -1
          matches[r].append(RuleMatch(time: match.time, sequence: unitIndex << 32 | match.sequence, location: location, eventKey: match.eventKey, term: term, retained: match.retained, excludedBy: match.excludedBy))
        }
      }
    }
    summary.eventsMissingASN = eventsMissingASN
    if let index {
      let values = index.distinctValues
      summary.evidenceIndex = .init(events: index.eventCount, bytes: index.memoryBytes, complete: index.isComplete, values: [values.principals, values.keys, values.addresses, values.functions])
    }
    var alerts: [Alert] = []
    var suppressed: [Alert] = []
    if let earliest = summary.earliestEvent, let latest = summary.latestEvent {
      for (r, rule) in rules.enumerated() {
        // Sorted in place and not copied when nothing is excluded: at millions of events the
        // matches are most of the run's memory.
        var all: [RuleMatch] = []
        swap(&all, &matches[r])
        all.sort { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
        let kept = all.contains { $0.excludedBy != nil } ? all.filter { $0.excludedBy == nil } : all
        func schedule(_ list: [RuleMatch]) -> ScheduleEmulator.Outcome {
          let emulator = ScheduleEmulator(rule: rule, matches: list, earliestEvent: earliest, latestEvent: latest, since: options.since, until: options.until)
          return rule.newTermsFields.isEmpty ? emulator.selectEQL() : emulator.selectNewTerms(termValues: terms[r].values)
        }
        let outcome = schedule(kept)
        let built = try buildAlerts(rule: rule, picks: outcome.picks, matches: kept, terms: terms[r].values, files: files, pipeline: setup.pipeline)
        summary.alertsPerRule.append((rule.name, built.count))
        summary.droppedByCapPerRule.append((rule.name, outcome.dropped))
        alerts.append(contentsOf: built)
        if kept.count != all.count {
          // The alerts the rule would have raised without exclusions, from excluded events only.
          let raised = Set(built.map(\.uuid))
          let wouldBe = schedule(all).picks.filter { all[$0.match].excludedBy != nil }
          let extra = try buildAlerts(rule: rule, picks: wouldBe, matches: all, terms: terms[r].values, files: files, pipeline: setup.pipeline)
            .filter { !raised.contains($0.uuid) }
          summary.suppressedPerRule.append((rule.name, extra.count))
          suppressed.append(contentsOf: extra)
        }
      }
    } else {
      for rule in rules { summary.alertsPerRule.append((rule.name, 0)) }
    }
    // An alert read back from Elastic (or from an export of this tool) that the run also raised,
    // or that is read twice, is one alert: the first kept, the run's own before any import.
    var seen = Set(alerts.map(\.uuid))
    imported = imported.filter { seen.insert($0.uuid).inserted }
    if !imported.isEmpty { summary.alertsPerRule.append(("imported from Elastic", imported.count)) }
    alerts.append(contentsOf: imported)
    alerts.sort { ($0.originalTime, $0.uuid) < ($1.originalTime, $1.uuid) }
    summary.elapsedSeconds = Date().timeIntervalSince(started)
    suppressed.sort { ($0.originalTime, $0.uuid) < ($1.originalTime, $1.uuid) }
    var report = DetectionReport(alerts: alerts, suppressed: suppressed, summary: summary, evidenceIndex: index)
    report.coverage = RunCoverage(since: options.since, until: options.until, readRecords: summary.readableRecords > 0)
    return report
  }

  /// What the scan reads from an event: the queries' and exceptions' fields, the new-terms
  /// fields, the event time and key, the ASN check, and the evidence index's keys.
  static func scanProjection(rules: [DetectionRule], evaluators: [QueryEvaluator], exclusions: [Exclusion], indexing: Bool) -> MappingProjection {
    var fields: Set<String> = ["@timestamp", "event.ingested", "event.id", "source.ip", "event.provider", "event.action", "source.as.organization.name"]
    for evaluator in evaluators { fields.formUnion(evaluator.predicate.fields) }
    for rule in rules { fields.formUnion(rule.newTermsFields) }
    for exclusion in exclusions { fields.formUnion(exclusion.entries.map(\.field)) }
    if indexing { fields.formUnion(RelatedEvent.keyFields) }
    return MappingProjection(fields: fields)
  }

  /// Reads the chosen events back (by location), maps them again and builds their alerts. Files
  /// are read and alerts built on every core: with thousands of alerts, their full parse and
  /// mapping were a serial tail after the parallel scan.
  private static func buildAlerts(
    rule: DetectionRule, picks: [AlertPick], matches: [RuleMatch], terms: [[String]], files: [InputFile], pipeline: EventPipeline
  ) throws(DetectionError) -> [Alert] {
    var byFile: [Int32: [RecordLocation]] = [:]
    for pick in picks where matches[pick.match].retained == nil {
      byFile[matches[pick.match].location.fileIndex, default: []].append(matches[pick.match].location)
    }
    let reads = Array(byFile)
    var fetched: [RecordLocation: [UInt8]] = [:]
    for outcome in ParallelMap.outcomes(count: reads.count, { k throws(InputError) in
      try RecordFetcher.fetch(path: files[Int(reads[k].key)].path, locations: reads[k].value)
    }) {
      switch outcome {
      case .success(let records): fetched.merge(records) { a, _ in a }
      case .failure(let error): throw .input(error)
      }
    }
    let records = fetched
    let constants = AlertBuilder.RuleConstants(rule)
    return ParallelMap.outcomes(count: picks.count) { k -> Alert? in
      let pick = picks[k]
      let match = matches[pick.match]
      guard let bytes = match.retained ?? records[match.location],
        let value = try? JSONParser.parse(bytes)
      else { return nil }
      var document: JSONObject
      switch RecordKind.classify(value) {
      case .cloudTrail(let record): document = pipeline.mapCloudTrail(record, String(decoding: bytes, as: UTF8.self))
      case .ecs(let object): document = EventPipeline.nested(object)
      default: return nil
      }
      try? pipeline.enrich?(&document)
      let file = files[Int(match.location.fileIndex)]
      var alert = AlertBuilder.build(AlertBuilder.Context(
        rule: rule, ruleConstants: constants, document: document, executionTime: pick.executionTime, eventKey: match.eventKey,
        newTerms: match.term >= 0 ? terms[Int(match.term)] : nil, historyStart: pick.historyStart,
        sourcePath: file.path, sourcePosition: match.location.suffix))
      if let exclusion = match.excludedBy { alert.document["lambda_triage.excluded_by"] = .string(exclusion) }
      return alert
    }.compactMap { $0.get() }
  }

  /// `event.id`, else where the event was read (the hit too, when a record holds many).
  static func eventKey(_ document: some FieldReader, path: String, location: RecordLocation, hit: Int? = nil) -> String {
    if let id = document.value(at: eventID)?.keywordText, !id.isEmpty { return id }
    return "\(path)@\(location.offset)" + (hit.map { "#hit\($0)" } ?? "")
  }

  /// Every combination of the new-terms fields' values (one per array element); none if a field
  /// is missing, since the rule ignores such events.
  /// - Parameter limits: each field's `QueryEvaluator.limit(of:)`, worked out once by the caller.
  static func termCombinations(_ document: some FieldReader, fields: [FieldPath], limits: [Int]) -> [[String]] {
    func forEachValue(_ k: Int, _ body: (String) -> Void) {
      guard let value = document.value(at: fields[k]) else { return }
      QueryEvaluator.forEachIndexedValue(value, limit: limits[k], body)
    }
    // Nearly always one value per field: one combination, built without the general product.
    var single: [String] = []
    single.reserveCapacity(fields.count)
    var multiple = false
    for k in fields.indices where !multiple {
      let before = single.count
      forEachValue(k) { single.append($0) }
      if single.count == before { return [] }
      multiple = single.count > before + 1
    }
    if !multiple { return [single] }
    var combinations: [[String]] = [[]]
    for k in fields.indices {
      var values: [String] = []
      forEachValue(k) { values.append($0) }
      if values.isEmpty { return [] }
      if values.count > 1 {
        var seen = Set<String>()
        values = values.filter { seen.insert($0).inserted }
      }
      combinations = combinations.flatMap { prefix in values.map { prefix + [$0] } }
    }
    return combinations
  }

  static func needsASN(_ document: some FieldReader) -> Bool {
    guard document.value(at: sourceIP) != nil,
      document.value(at: provider)?.stringValue == "lambda.amazonaws.com",
      let action = document.value(at: action)?.stringValue
    else { return false }
    return action.hasPrefix("Invoke")
  }

  private static let eventID = FieldPath("event.id"), sourceIP = FieldPath("source.ip")
  private static let provider = FieldPath("event.provider"), action = FieldPath("event.action")
  static let organization = FieldPath("source.as.organization.name")
}

extension DetectionRule {
  public func compiledQuery() throws(QueryError) -> QueryPredicate {
    switch language {
    case .eql: return try EQLParser.compile(query)
    case .kuery: return try KQLParser.compile(query)
    }
  }
}

extension RecordIssue {
  /// The issue with its line or record number counted from the start of the file rather than
  /// of its chunk.
  func renumbered(_ base: ChunkNumbering.Base) -> RecordIssue {
    var issue = self
    if issue.line > 0 { issue.line += base.lines }
    issue.recordIndex = base.recordIndex(issue.recordIndex, at: issue.offset)
    return issue
  }
}
