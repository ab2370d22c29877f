import Foundation
import Synchronization

/// A match as one file's scan sees it, before terms are interned across files.
struct PendingMatch: Sendable {
  let time: Int64
  let sequence: Int
  let location: RecordLocation
  let eventKey: String
  let termValues: [String]?
  let retained: [UInt8]?
  let excludedBy: String?
}

/// What scanning one file produced.
struct FileScan: Sendable {
  var summary = DetectionSummary()
  var matches: [[PendingMatch]]
  var imported: [Alert] = []
  var eventsMissingASN = 0
}

/// Scans files on every core: CloudTrail delivers many small objects, so files are the natural
/// unit of work. Each worker takes the next file; results land in per-file slots and are merged
/// in file order by the caller.
enum ParallelScan {
  static func run(
    files: [InputFile], reader: EventReader, rules: [DetectionRule], evaluators: [QueryEvaluator], exclusions: [[Exclusion]], started: Date,
    progress: (@Sendable (DetectionProgress) -> Void)?, isCancelled: (@Sendable () -> Bool)?
  ) throws(DetectionError) -> [FileScan] {
    struct Shared {
      var next = 0
      var results: [FileScan?]
      var failure: DetectionError?
      var filesDone = 0
      var records = 0
      var bytes: Int64 = 0
      var matches = 0
    }
    let shared = Mutex(Shared(results: Array(repeating: nil, count: files.count)))
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, files.count))
    let cancelled: @Sendable () -> Bool = {
      if isCancelled?() == true { return true }
      return shared.withLock { $0.failure != nil }
    }
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while true {
        let index: Int? = shared.withLock { state in
          guard state.failure == nil, state.next < files.count else { return nil }
          defer { state.next += 1 }
          return state.next
        }
        guard let index else { return }
        var summary = DetectionSummary()
        var scan = FileScan(matches: Array(repeating: [], count: rules.count))
        var sequence = 0
        var lastRecords = 0
        var lastBytes: Int64 = 0
        let report: (Int, Int64) -> Void = { records, bytes in
          let snapshot = shared.withLock { state -> DetectionProgress in
            state.records += records - lastRecords
            state.bytes += bytes - lastBytes
            return DetectionProgress(filesDone: state.filesDone, filesTotal: files.count, records: state.records, bytes: state.bytes, alerts: state.matches, elapsedSeconds: Date().timeIntervalSince(started))
          }
          lastRecords = records
          lastBytes = bytes
          progress?(snapshot)
        }
        do {
          try reader.scan(fileIndex: index, summary: &summary, sequence: &sequence, isCancelled: cancelled, progress: report, onEvent: { event in
            collect(event, into: &scan, files: files, rules: rules, evaluators: evaluators, exclusions: exclusions)
          }, onAlert: { object, bytes in
            scan.imported.append(ImportedAlert.make(object, bytes: bytes))
          })
        } catch {
          let failure = (error as? DetectionError) ?? .cancelled
          shared.withLock { if $0.failure == nil { $0.failure = failure } }
          return
        }
        scan.summary = summary
        report(summary.records, summary.bytes)
        let found = scan.matches.reduce(0) { $0 + $1.count }
        let done = shared.withLock { state -> DetectionProgress in
          state.results[index] = scan
          state.filesDone += 1
          state.matches += found
          return DetectionProgress(filesDone: state.filesDone, filesTotal: files.count, records: state.records, bytes: state.bytes, alerts: state.matches, elapsedSeconds: Date().timeIntervalSince(started))
        }
        progress?(done)
      }
    }
    let state = shared.withLock { $0 }
    if let failure = state.failure { throw failure }
    return state.results.map { $0 ?? FileScan(matches: Array(repeating: [], count: rules.count)) }
  }

  /// Exceptions filter source events inside the rule's query (Elastic's `must_not`), so an
  /// excluded event neither alerts nor counts as new-terms history; it is kept, marked, so the
  /// alerts it would have raised can be shown as suppressed.
  private static func collect(_ event: EventReader.Event, into scan: inout FileScan, files: [InputFile], rules: [DetectionRule], evaluators: [QueryEvaluator], exclusions: [[Exclusion]]) {
    let document = event.document
    if Detection.needsASN(document) && document[path: "source.as.organization.name"] == nil { scan.eventsMissingASN += 1 }
    for (r, rule) in rules.enumerated() where evaluators[r].matches(document) {
      let time = DetectionTime.of(document) ?? 0
      let file = files[Int(event.location.fileIndex)]
      let key = Detection.eventKey(document, path: file.path, location: event.location)
      let retained = file.isStandardInput ? Array(event.bytes) : nil
      let excludedBy = exclusions[r].first { $0.matches(document) }?.id
      if rule.newTermsFields.isEmpty {
        scan.matches[r].append(PendingMatch(time: time, sequence: event.sequence, location: event.location, eventKey: key, termValues: nil, retained: retained, excludedBy: excludedBy))
        continue
      }
      for combination in Detection.termCombinations(document, fields: rule.newTermsFields) {
        scan.matches[r].append(PendingMatch(time: time, sequence: event.sequence, location: event.location, eventKey: key, termValues: combination, retained: retained, excludedBy: excludedBy))
      }
    }
  }
}

extension DetectionSummary {
  /// Adds one file's counts to the run's.
  mutating func absorb(_ other: DetectionSummary, maxListedIssues: Int) {
    files += other.files
    digestFiles += other.digestFiles
    insightFiles += other.insightFiles
    records += other.records
    bytes += other.bytes
    rawCloudTrailRecords += other.rawCloudTrailRecords
    ecsDocuments += other.ecsDocuments
    importedAlerts += other.importedAlerts
    digestRecords += other.digestRecords
    insightRecords += other.insightRecords
    skippedRecords += other.skippedRecords
    badRecords += other.badRecords
    issues.append(contentsOf: other.issues.prefix(max(0, maxListedIssues - issues.count)))
    fileErrors += other.fileErrors
    warnings += other.warnings
    eventsMapped += other.eventsMapped
    if let t = other.earliestEvent { noteTime(t) }
    if let t = other.latestEvent { noteTime(t) }
  }
}
