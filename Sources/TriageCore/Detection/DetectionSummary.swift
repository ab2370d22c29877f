/// Counts and notes from a detection run, printed to stderr by `detect` and shown by the console.
public struct DetectionSummary: Sendable {
  public var files = 0
  public var digestFiles = 0
  public var insightFiles = 0
  public var records = 0
  public var bytes: Int64 = 0
  public var rawCloudTrailRecords = 0
  public var ecsDocuments = 0
  public var importedAlerts = 0
  public var digestRecords = 0
  public var insightRecords = 0
  /// Records the byte pre-filter proved irrelevant to every rule (no Lambda provider): not parsed.
  public var skippedRecords = 0
  public var badRecords = 0
  public var issues: [RecordIssue] = []
  public var fileErrors: [String] = []
  /// Records counted in `records` that turned out bad (not JSON, not an object); `badRecords` also
  /// counts what could not even be cut into a record.
  public var rejectedRecords = 0
  /// Records the pre-filter skipped (unparsed) that had no event time either: whatever they
  /// are, no CloudTrail record, ECS document or alert lacks one.
  public var untimedSkippedRecords = 0
  /// Records that were records of some service: not bad, and not timeless unparsed text.
  public var readableRecords: Int { records - rejectedRecords - untimedSkippedRecords }
  /// Something was given (a file failed, a record was bad, or records were cut) but not one record
  /// was readable: every file damaged, or every line junk. The empty result is then no clean run,
  /// and the commands exit 2. (An empty file or directory is only warned about.)
  public var readNothing: Bool { readableRecords == 0 && (!fileErrors.isEmpty || badRecords > 0 || records > 0) }
  public var warnings: [String] = []
  /// Records whose enrichment failed, kept with their position until the scan's ranges are
  /// merged (a range numbers its lines from its own start), then added to `warnings`.
  var enrichmentFailures: [RecordIssue] = []
  public var eventsMapped = 0
  /// Of the raw records, those whose scan document was read straight from their bytes
  /// (ScalarRecordReader) rather than parsed and mapped.
  public var scalarReadRecords = 0
  /// Matching records kept in memory, from standard input (which cannot be read again) and gzip
  /// streams (which would be inflated a second time for the alerts).
  public var keptRecords = 0
  public var alertsPerRule: [(rule: String, count: Int)] = []
  public var droppedByCapPerRule: [(rule: String, count: Int)] = []
  public var suppressedPerRule: [(rule: String, count: Int)] = []
  public var enrichment: [String] = []
  /// Lambda events with a source IP but no ASN, which rule B cannot judge without a database.
  public var eventsMissingASN = 0
  public var hasASNDatabase = false
  public var earliestEvent: Int64?
  public var latestEvent: Int64?
  public var elapsedSeconds = 0.0
  /// The evidence index's size, when one was built.
  public var evidenceIndex: IndexSize?

  public struct IndexSize: Sendable, Equatable {
    public var events: Int
    public var bytes: Int
    /// False when the budget ran out and later events were left out.
    public var complete: Bool
    /// Distinct principals, access keys, addresses and functions.
    public var values: [Int] = []
  }

  public init() {}

  public var totalAlerts: Int { alertsPerRule.reduce(0) { $0 + $1.count } }

  public func render() -> String {
    var lines: [String] = []
    func mb(_ bytes: Int64) -> String { formatted(Double(bytes) / 1_048_576, digits: 1) + " MB" }
    lines.append("files: \(files) read" + (digestFiles + insightFiles > 0 ? ", \(digestFiles) digest and \(insightFiles) insight files skipped" : ""))
    lines.append("records: \(records) (\(mb(bytes)))")
    var kinds = ["raw CloudTrail \(rawCloudTrailRecords)", "ECS \(ecsDocuments)"]
    if importedAlerts > 0 { kinds.append("Kibana alerts \(importedAlerts)") }
    if digestRecords > 0 { kinds.append("digest \(digestRecords)") }
    if insightRecords > 0 { kinds.append("insight \(insightRecords)") }
    if skippedRecords > 0 { kinds.append("not Lambda, skipped unparsed \(skippedRecords)") }
    lines.append("  by kind: " + kinds.joined(separator: ", "))
    lines.append("events mapped: \(eventsMapped)")
    if let earliest = earliestEvent, let latest = latestEvent {
      lines.append("event time: \(Timestamp.format(millis: earliest)) .. \(Timestamp.format(millis: latest))")
    }
    if badRecords > 0 {
      lines.append("bad records: \(badRecords)" + (issues.count < badRecords ? " (first \(issues.count) below)" : ""))
      for issue in issues { lines.append("  \(issue)") }
    }
    for error in fileErrors { lines.append("error: \(error)") }
    for warning in warnings { lines.append("warning: \(warning)") }
    for line in enrichment { lines.append(line) }
    if !hasASNDatabase && eventsMissingASN > 0 {
      lines.append("note: \(eventsMissingASN) Lambda events have a source IP but no ASN; rule B cannot see them. Provide a database with --asn-db FILE (GeoLite2-ASN .mmdb or an ip2asn .tsv), LAMBDA_TRIAGE_ASN_DB, or put one among the inputs.")
    }
    if let index = evidenceIndex {
      let values = zip(index.values, ["principals", "keys", "addresses", "functions"]).map { "\($0) \($1)" }.joined(separator: ", ")
      lines.append("evidence index: \(index.events) events, \(mb(Int64(index.bytes)))" + (values.isEmpty ? "" : " (\(values))") + (index.complete ? "" : " (full: later events are read by a second pass when evidence needs them)"))
    }
    for (rule, count) in alertsPerRule { lines.append("alerts: \(count)  \(rule)") }
    for (rule, count) in suppressedPerRule where count > 0 {
      lines.append("suppressed by exclusions: \(count)  \(rule)")
    }
    for (rule, count) in droppedByCapPerRule where count > 0 {
      lines.append("dropped by the 100-alerts-per-execution cap: \(count)  \(rule) (Kibana only logs a warning here; the count is lambda-triage's)")
    }
    let rate = elapsedSeconds > 0 ? Double(records) / elapsedSeconds : 0
    let throughput = elapsedSeconds > 0 ? Double(bytes) / 1_048_576 / elapsedSeconds : 0
    lines.append("elapsed: \(formatted(elapsedSeconds, digits: 2)) s, \(Int(rate)) records/s, \(formatted(throughput, digits: 1)) MB/s")
    return lines.joined(separator: "\n")
  }

  private func formatted(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
      let decimals = text.distance(from: dot, to: text.endIndex) - 1
      if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return text
  }
}
