import Foundation
import Synchronization

/// A match as one unit's scan sees it: its term is an index into the unit's own term table.
struct PendingMatch: Sendable {
  let time: Int64
  let sequence: Int
  let location: RecordLocation
  let eventKey: String
  /// Index into `FileScan.terms[rule]`; -1 for EQL rules.
  let term: Int32
  let retained: [UInt8]?
  let excludedBy: String?
}

/// What scanning one file produced.
struct FileScan: Sendable {
  var summary = DetectionSummary()
  var matches: [[PendingMatch]]
  /// Per rule, the unit's distinct new-terms combinations.
  var terms: [TermTable]
  var imported: [Alert] = []
  var eventsMissingASN = 0
  /// Newlines the unit spanned (line numbers of later chunks of the file start after them).
  var lines = 0
  /// This unit's part of the evidence index, when the run builds one.
  var index: EvidenceIndex?

  /// Nothing found yet, for `rules` rules.
  init(rules: Int) {
    matches = Array(repeating: [], count: rules)
    terms = Array(repeating: TermTable(), count: rules)
  }
}

/// Scans on every core: CloudTrail delivers many small objects, so a file is the natural unit of
/// work, and a large NDJSON file is cut into newline-aligned ranges. Each worker takes the next
/// unit; results land in per-unit slots and are merged in unit order by the caller.
enum ParallelScan {
  /// Splits plain NDJSON files of at least `threshold` bytes into ranges; everything else is one
  /// unit per file.
  static func plan(_ files: [InputFile], workers: Int, threshold: Int64) -> [ScanUnit] {
    var units: [ScanUnit] = []
    for (index, file) in files.enumerated() {
      guard workers > 1, file.role == .logs, !file.isStandardInput, let size = regularFileSize(file.path), size >= threshold,
        let handle = try? FileByteSource(path: file.path), isLineOriented(handle)
      else {
        units.append(ScanUnit(fileIndex: index))
        continue
      }
      // Small pieces, so the cores finish together: with four per core one core idled for half a
      // piece (about 8% of a 1M-record run) at the end.
      let pieces = Int64(min(max(workers * 32, Int(size / (256 << 20))), Int(max(1, size / 4096))))
      var start: Int64 = 0
      for k in 1...pieces {
        let target = k == pieces ? size : size * k / pieces
        let end = k == pieces ? size : (nextLineStart(handle, from: target) ?? size)
        if end > start {
          units.append(ScanUnit(fileIndex: index, range: start..<end, chunk: units.last?.fileIndex == index ? units.last!.chunk + 1 : 0))
          start = end
        }
      }
    }
    return units
  }

  private static func regularFileSize(_ path: String) -> Int64? {
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int64(info.st_size)
  }

  /// NDJSON: the first line holds one complete JSON object that is not a Records envelope.
  private static func isLineOriented(_ file: FileByteSource) -> Bool {
    guard let head = try? file.pread(offset: 0, length: 1 << 20), let newline = head.firstIndex(of: 0x0A) else { return false }
    let line = Array(head[0..<newline])
    guard let first = line.firstIndex(where: { ![0x20, 0x09, 0x0D].contains($0) }), line[first] == UInt8(ascii: "{") else { return false }
    if String(decoding: line[first...].prefix(40), as: UTF8.self).replacingWhitespace().hasPrefix("{\"Records\":[") { return false }
    return line.withUnsafeBufferPointer { JSONScanner.endOfValue(in: $0, from: first) != .incomplete }
  }

  private static func nextLineStart(_ file: FileByteSource, from offset: Int64) -> Int64? {
    var position = offset
    while true {
      guard let piece = try? file.pread(offset: position, length: 1 << 16), !piece.isEmpty else { return nil }
      if let newline = piece.firstIndex(of: 0x0A) { return position + Int64(newline) + 1 }
      position += Int64(piece.count)
    }
  }

  static func run(
    units: [ScanUnit],
    workers requested: Int,
    files: [InputFile], reader: EventReader, rules: [DetectionRule], evaluators: [QueryEvaluator], exclusions: [[Exclusion]], started: Date,
    indexBudget: EvidenceIndexBudget? = nil,
    progress: (@Sendable (DetectionProgress) -> Void)?, isCancelled: (@Sendable () -> Bool)?
  ) throws(DetectionError) -> (scans: [FileScan], index: EvidenceIndex?) {
    struct Shared {
      var next = 0
      var results: [FileScan?]
      /// The evidence index, absorbing each unit's part as soon as every earlier unit's is in, so
      /// the parts are let go during the scan rather than all held until its end.
      var index: EvidenceIndex?
      var absorbed = 0
      var numbering = ChunkLines()
      var failure: DetectionError?
      var filesDone = 0
      var records = 0
      var bytes: Int64 = 0
      var matches = 0
    }
    let shared = Mutex(Shared(results: Array(repeating: nil, count: units.count), index: indexBudget == nil ? nil : EvidenceIndex()))
    let workers = max(1, min(requested, units.count))
    // Each new-terms field's indexing limit, looked up once rather than per event.
    let termLimits = rules.map { $0.newTermsFields.map(QueryEvaluator.limit(of:)) }
    let termFields = rules.map { $0.newTermsFields.map(FieldPath.init) }
    let cancelled: @Sendable () -> Bool = {
      if isCancelled?() == true { return true }
      return shared.withLock { $0.failure != nil }
    }
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while true {
        let index: Int? = shared.withLock { state in
          guard state.failure == nil, state.next < units.count else { return nil }
          defer { state.next += 1 }
          return state.next
        }
        guard let index else { return }
        var summary = DetectionSummary()
        var scan = FileScan(rules: rules.count)
        var sequence = 0
        var lastRecords = 0
        var lastBytes: Int64 = 0
        let report: (Int, Int64) -> Void = { records, bytes in
          let snapshot = shared.withLock { state -> DetectionProgress in
            state.records += records - lastRecords
            state.bytes += bytes - lastBytes
            return DetectionProgress(filesDone: state.filesDone, filesTotal: files.count, records: state.records, bytes: state.bytes, matches: state.matches, elapsedSeconds: Date().timeIntervalSince(started))
          }
          lastRecords = records
          lastBytes = bytes
          progress?(snapshot)
        }
        var part = EvidenceIndex()
        let onIndex: ((EvidenceEntry, RecordLocation) -> Void)? = indexBudget.map { budget in
          { entry, location in _ = part.add(entry, at: location, budget: budget) }
        }
        do {
          scan.lines = try reader.scan(units[index], summary: &summary, sequence: &sequence, isCancelled: cancelled, progress: report, onEvent: { event in
            collect(event, into: &scan, files: files, rules: rules, evaluators: evaluators, exclusions: exclusions, termFields: termFields, termLimits: termLimits)
          }, onAlert: { object, bytes in
            scan.imported.append(ImportedAlert.make(object, bytes: bytes))
          }, onIndex: onIndex)
        } catch {
          let failure = (error as? DetectionError) ?? .cancelled
          shared.withLock { if $0.failure == nil { $0.failure = failure } }
          return
        }
        scan.summary = summary
        if indexBudget != nil { scan.index = part }
        report(summary.records, summary.bytes)
        let found = scan.matches.reduce(0) { $0 + $1.count }
        let done = shared.withLock { state -> DetectionProgress in
          state.results[index] = scan
          while state.absorbed < units.count, let ready = state.results[state.absorbed] {
            let u = state.absorbed
            let lineBase = state.numbering.base(of: units[u], lines: ready.lines)
            if let part = ready.index {
              state.results[u]!.index = nil
              state.index?.absorb(part, lineBase: Int32(lineBase))
            }
            state.absorbed += 1
          }
          if index + 1 == units.count || units[index + 1].fileIndex != units[index].fileIndex { state.filesDone += 1 }
          state.matches += found
          return DetectionProgress(filesDone: state.filesDone, filesTotal: files.count, records: state.records, bytes: state.bytes, matches: state.matches, elapsedSeconds: Date().timeIntervalSince(started))
        }
        progress?(done)
      }
    }
    let state = shared.withLock { $0 }
    if let failure = state.failure { throw failure }
    return (state.results.map { $0 ?? FileScan(rules: rules.count) }, state.index)
  }

  /// Exceptions filter source events inside the rule's query (Elastic's `must_not`), so an
  /// excluded event neither alerts nor counts as new-terms history; it is kept, marked, so the
  /// alerts it would have raised can be shown as suppressed.
  private static func collect(
    _ event: EventReader.Event, into scan: inout FileScan, files: [InputFile], rules: [DetectionRule], evaluators: [QueryEvaluator],
    exclusions: [[Exclusion]], termFields: [[FieldPath]], termLimits: [[Int]]
  ) {
    let fields = event.fields
    if Detection.needsASN(fields) && fields.value(at: Detection.organization) == nil { scan.eventsMissingASN += 1 }
    // By index: binding each rule would copy the whole DetectionRule (dozens of retains) per event.
    for r in rules.indices where event.possibleRules & (1 << r) != 0 && evaluators[r].matches(fields) {
      let time = event.time
      let file = files[Int(event.location.fileIndex)]
      let key = Detection.eventKey(fields, path: file.path, location: event.location, hit: event.hit?.index)
      // Read back later by location, except what cannot be: stdin, and one hit of a search
      // response (its record holds every hit), which is kept as the hit's own JSON.
      let retained = event.hit.map { Array(JSONWriter.compact(.object($0.object)).utf8) } ?? (file.isStandardInput ? Array(event.bytes) : nil)
      // Exceptions match documents; an event read as scalars has one built only here.
      let excludedBy = exclusions[r].isEmpty ? nil : exclusions[r].first(where: { [document = event.document] in $0.matches(document) })?.id
      if termFields[r].isEmpty {
        scan.matches[r].append(PendingMatch(time: time, sequence: event.sequence, location: event.location, eventKey: key, term: -1, retained: retained, excludedBy: excludedBy))
        continue
      }
      for combination in Detection.termCombinations(fields, fields: termFields[r], limits: termLimits[r]) {
        let term = scan.terms[r].intern(combination)
        scan.matches[r].append(PendingMatch(time: time, sequence: event.sequence, location: event.location, eventKey: key, term: term, retained: retained, excludedBy: excludedBy))
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
    enrichmentFailures += other.enrichmentFailures
    eventsMapped += other.eventsMapped
    scalarReadRecords += other.scalarReadRecords
    if let t = other.earliestEvent { noteTime(t) }
    if let t = other.latestEvent { noteTime(t) }
  }
}

extension String {
  fileprivate func replacingWhitespace() -> String {
    String(String.UnicodeScalarView(unicodeScalars.filter { !$0.properties.isWhitespace }))
  }
}
