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

/// Which matching records of a file a scan keeps in memory for the alerts, rather than reading
/// them again after the scan, and the budget they are kept from while it lasts.
enum RecordKeeping {
  case none
  /// A gzip object inflated whole: reading it again costs inflating it again, so the matches of
  /// query-only rules are kept (each is an alert unless the schedule drops it). A new-terms rule's
  /// matches are most Lambda calls and few become alerts: those are read again.
  case queryMatches(ByteBudget)
  /// A streamed gzip file: reading one record again means inflating everything before it.
  case allMatches(ByteBudget)

  /// The budget a match of a rule keeps its record from (nil: it is read again later).
  func budget(queryOnly: Bool) -> ByteBudget? {
    switch self {
    case .none: nil
    case .queryMatches(let budget): queryOnly ? budget : nil
    case .allMatches(let budget): budget
    }
  }
}

/// What scanning one file produced.
struct FileScan: Sendable {
  var summary = DetectionSummary()
  var matches: [[PendingMatch]]
  /// Per rule, the unit's distinct new-terms combinations.
  var terms: [TermTable]
  var imported: [Alert] = []
  var eventsMissingASN = 0
  var keptRecords = 0
  /// The lines and records the unit spanned (later chunks of the file are numbered after them).
  var extent = EventReader.Extent()
  /// This unit's part of the evidence index, when the run builds one.
  var index: EvidenceIndex?

  /// Nothing found yet, for `rules` rules.
  init(rules: Int) {
    matches = Array(repeating: [], count: rules)
    terms = Array(repeating: TermTable(), count: rules)
  }

  var matchCount: Int { matches.reduce(0) { $0 + $1.count } }
}

/// Scans on every core: CloudTrail delivers many small objects, so a file is the natural unit of
/// work; a large NDJSON file is cut into newline-aligned ranges, and a large `{"Records":[...]}`
/// file or JSON array of records into pieces at guessed record boundaries. Each worker takes the next unit; results land
/// in per-unit slots and are merged in unit order by the caller.
enum ParallelScan {
  /// Splits plain NDJSON, Records and array files of at least `threshold` bytes; everything
  /// else is one unit per file.
  static func plan(_ files: [InputFile], workers: Int, threshold: Int64) -> [ScanUnit] {
    var units: [ScanUnit] = []
    for (index, file) in files.enumerated() {
      guard workers > 1, file.role == .logs, !file.isStandardInput, let size = regularFileSize(file.path), size >= threshold,
        let handle = try? FileByteSource(path: file.path)
      else {
        units.append(ScanUnit(fileIndex: index))
        continue
      }
      // Small pieces, so the cores finish together: with four per core one core idled for half a
      // piece (about 8% of a 1M-record run) at the end.
      let pieces = Int64(min(max(workers * 32, Int(size / (256 << 20))), Int(max(1, size / 4096))))
      if let container = container(handle) {
        let cuts = envelopeCuts(handle, size: size, pieces: pieces)
        if cuts.isEmpty {
          units.append(ScanUnit(fileIndex: index))
          continue
        }
        let bounds = [0] + cuts + [size]
        for k in 0..<(bounds.count - 1) {
          let part: EnvelopeChunk.Part = k == 0 ? .first : k == bounds.count - 2 ? .last : .middle
          units.append(ScanUnit(fileIndex: index, range: bounds[k]..<bounds[k + 1], chunk: k, envelope: EnvelopeChunk(part, in: container)))
        }
        continue
      }
      guard isLineOriented(handle) else {
        units.append(ScanUnit(fileIndex: index))
        continue
      }
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

  /// What holds the records when the file opens with `{"Records":[` or with an array of objects.
  private static func container(_ file: FileByteSource) -> EnvelopeChunk.Container? {
    guard let head = try? file.pread(offset: 0, length: 256) else { return nil }
    let compact = String(decoding: head, as: UTF8.self).replacingWhitespace()
    if compact.hasPrefix("{\"Records\":[") { return .records }
    if compact.hasPrefix("[{") { return .array }
    return nil
  }

  /// Where to cut a Records (or array) file into about `pieces` pieces: at the opening brace of a record,
  /// recognised as `,{"eventVersion"` (every CloudTrail record starts with that key; whitespace
  /// allowed between the tokens). A string or a nested object can hold the same bytes, so a cut is
  /// a guess that the scan confirms (`RecordSplitter.boundaryHeld`). Empty when no cut is found.
  static func envelopeCuts(_ file: FileByteSource, size: Int64, pieces: Int64) -> [Int64] {
    let key = Array("\"eventVersion\"".utf8)
    let window = 1 << 16, overlap = 256
    var cuts: [Int64] = []
    for k in 1..<max(pieces, 1) {
      var position = max(size * k / pieces, (cuts.last ?? 0) + 1)
      // A record is a few KB; a window that long without one means this is not CloudTrail.
      let limit = position + (16 << 20)
      var found = false
      search: while position < min(size, limit) {
        guard let piece = try? file.pread(offset: position, length: window), piece.count > key.count else { break }
        var from = 0
        while let hit = piece.withUnsafeBufferPointer({ b in RecordPrefilter.find(UnsafeBufferPointer(rebasing: b[from...]), key).map { $0 + from } }) {
          from = hit + 1
          var i = hit - 1
          while i >= 0, isBlank(piece[i]) { i -= 1 }
          guard i >= 0, piece[i] == UInt8(ascii: "{") else { continue }
          let brace = i
          i -= 1
          while i >= 0, isBlank(piece[i]) { i -= 1 }
          guard i >= 0, piece[i] == UInt8(ascii: ",") else { continue }
          cuts.append(position + Int64(brace))
          found = true
          break search
        }
        if piece.count < window { break }
        position += Int64(window - overlap)
      }
      // Not CloudTrail (or nothing more to cut): searching from the next target would read the
      // same bytes again.
      if !found { break }
    }
    return cuts
  }

  private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

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
    indexBudget: ByteBudget? = nil, keptRecordBytes: Int,
    progress: (@Sendable (DetectionProgress) -> Void)?, isCancelled: (@Sendable () -> Bool)?
  ) throws(DetectionError) -> (scans: [FileScan], index: EvidenceIndex?) {
    let shared = Mutex(Shared(results: Array(repeating: nil, count: units.count), index: indexBudget == nil ? nil : EvidenceIndex()))
    let workers = max(1, min(requested, units.count))
    // A core no unit will use can inflate a gzip stream ahead of its scan instead.
    let reader = { var reader = reader; reader.prefetchStreams = units.count < requested; return reader }()
    // Each new-terms field's indexing limit, looked up once rather than per event.
    let termLimits = rules.map { $0.newTermsFields.map(QueryEvaluator.limit(of:)) }
    let termFields = rules.map { $0.newTermsFields.map(FieldPath.init) }
    let kept = ByteBudget(bytes: keptRecordBytes)
    // Objects inflated whole keep from a budget of their own, so a tree scanned first cannot
    // spend what a streamed file needs (reading a stream's record again costs far more).
    let keptFromWhole = ByteBudget(bytes: keptRecordBytes / 8)
    let cancelled: @Sendable () -> Bool = {
      if isCancelled?() == true { return true }
      return shared.withLock { $0.failure != nil }
    }
    @Sendable func scanUnit(_ unit: ScanUnit) throws(DetectionError) -> FileScan {
      var summary = DetectionSummary()
      var scan = FileScan(rules: rules.count)
      var sequence = 0
      var lastRecords = 0
      var lastBytes: Int64 = 0
      let report: (Int, Int64) -> Void = { records, bytes in
        let snapshot = shared.withLock { state -> DetectionProgress in
          state.records += records - lastRecords
          state.bytes += bytes - lastBytes
          return state.progress(files: files.count, started: started)
        }
        lastRecords = records
        lastBytes = bytes
        progress?(snapshot)
      }
      // Matching records of a file that cannot be read again cheaply are kept for the alerts.
      var keeping = RecordKeeping.none
      var part = EvidenceIndex()
      let onIndex: ((EvidenceEntry, RecordLocation) -> Void)? = indexBudget.map { budget in
        { entry, location in _ = part.add(entry, at: location, budget: budget) }
      }
      scan.extent = try reader.scan(unit, summary: &summary, sequence: &sequence, isCancelled: cancelled, progress: report, onEvent: { event in
        collect(event, into: &scan, files: files, rules: rules, evaluators: evaluators, exclusions: exclusions, termFields: termFields, termLimits: termLimits,
                keeping: keeping)
      }, onAlert: { object, bytes in
        scan.imported.append(ImportedAlert.make(object, bytes: bytes))
      }, onIndex: onIndex, onOpen: { source in keeping = source.streamsGzip ? .allMatches(kept) : source.inflates ? .queryMatches(keptFromWhole) : .none })
      summary.keptRecords = scan.keptRecords
      scan.summary = summary
      if indexBudget != nil { scan.index = part }
      report(summary.records, summary.bytes)
      return scan
    }
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while true {
        let index: Int? = shared.withLock { state in
          guard state.failure == nil, state.next < units.count else { return nil }
          defer { state.next += 1 }
          return state.next
        }
        guard let index else { return }
        let scan: FileScan
        do { scan = try scanUnit(units[index]) } catch {
          let failure = (error as? DetectionError) ?? .cancelled
          shared.withLock { if $0.failure == nil { $0.failure = failure } }
          return
        }
        let found = scan.matchCount
        let done = shared.withLock { state -> DetectionProgress in
          state.results[index] = scan
          state.absorbReady(units)
          if index + 1 == units.count || units[index + 1].fileIndex != units[index].fileIndex { state.filesDone += 1 }
          state.matches += found
          return state.progress(files: files.count, started: started)
        }
        progress?(done)
      }
    }
    var state = shared.withLock { $0 }
    if let failure = state.failure { throw failure }
    // A file whose guessed cuts did not hold is read again, whole, in place of its pieces.
    for first in units.indices where units[first].envelope?.part == .first && !state.piecesHeld(from: first, units) {
      let pieces = state.pieces(from: first, units)
      for p in pieces { if let part = state.results[p]?.index { indexBudget?.giveBack(part.budgetTaken) } }
      // The progress takes back what the pieces counted: the file's records are counted once,
      // by the reading that stands.
      let counted = pieces.compactMap { state.results[$0] }
      shared.withLock { shared in
        shared.records -= counted.reduce(0) { $0 + $1.summary.records }
        shared.bytes -= counted.reduce(0) { $0 + $1.summary.bytes }
        shared.matches -= counted.reduce(0) { $0 + $1.matchCount }
      }
      let whole = try scanUnit(ScanUnit(fileIndex: units[first].fileIndex))
      let snapshot = shared.withLock { shared in
        shared.matches += whole.matchCount
        return shared.progress(files: files.count, started: started)
      }
      progress?(snapshot)
      state.results[first] = whole
      for p in pieces.dropFirst() { state.results[p] = FileScan(rules: rules.count) }
    }
    state.absorbReady(units)
    return (state.results.map { $0 ?? FileScan(rules: rules.count) }, state.index)
  }

  private struct Shared {
    var next = 0
    var results: [FileScan?]
    /// The evidence index, absorbing each unit's part as soon as every earlier unit's is in, so
    /// the parts are let go during the scan rather than all held until its end.
    var index: EvidenceIndex?
    var absorbed = 0
    var numbering = ChunkNumbering()
    var failure: DetectionError?
    var filesDone = 0
    var records = 0
    var bytes: Int64 = 0
    var matches = 0

    func progress(files: Int, started: Date) -> DetectionProgress {
      DetectionProgress(filesDone: filesDone, filesTotal: files, records: records, bytes: bytes, matches: matches, elapsedSeconds: Date().timeIntervalSince(started))
    }

    /// The units of the file whose first piece is `first`.
    func pieces(from first: Int, _ units: [ScanUnit]) -> Range<Int> {
      var end = first + 1
      while end < units.count, units[end].fileIndex == units[first].fileIndex { end += 1 }
      return first..<end
    }

    /// Every piece of the file is scanned and every cut held.
    func piecesHeld(from first: Int, _ units: [ScanUnit]) -> Bool {
      pieces(from: first, units).allSatisfy { results[$0]?.extent.boundaryHeld == true }
    }

    /// Moves the index parts of the units scanned so far, in unit order, into the index. A Records
    /// file's pieces wait until all of them are in and their cuts held (else the file is read again).
    mutating func absorbReady(_ units: [ScanUnit]) {
      while absorbed < units.count, let ready = results[absorbed] {
        let u = absorbed
        if units[u].envelope?.part == .first, !piecesHeld(from: u, units) { return }
        let base = numbering.base(of: units[u], ready.extent)
        if let part = ready.index {
          results[u]!.index = nil
          index?.absorb(part, base: base)
        }
        absorbed += 1
      }
    }
  }

  /// Exceptions filter source events inside the rule's query (Elastic's `must_not`), so an
  /// excluded event neither alerts nor counts as new-terms history; it is kept, marked, so the
  /// alerts it would have raised can be shown as suppressed.
  /// - Parameter keeping: for a gzip file, which matching records are kept while their budget
  ///   lasts, so the alerts do not inflate the file a second time.
  private static func collect(
    _ event: EventReader.Event, into scan: inout FileScan, files: [InputFile], rules: [DetectionRule], evaluators: [QueryEvaluator],
    exclusions: [[Exclusion]], termFields: [[FieldPath]], termLimits: [[Int]], keeping: RecordKeeping
  ) {
    let fields = event.fields
    if Detection.needsASN(fields) && fields.value(at: Detection.organization) == nil { scan.eventsMissingASN += 1 }
    // By index: binding each rule would copy the whole DetectionRule (dozens of retains) per event.
    let file = files[Int(event.location.fileIndex)]
    // Read back later by location, except what cannot be (stdin) or would cost inflating a
    // file again (kept while the budget lasts), and one hit of a search response (its record
    // holds every hit), which is kept as the hit's own JSON. Worked out once per event, however
    // many rules it matches.
    var kept: [UInt8]?
    var budgetAsked = false
    func retained(from budget: ByteBudget?) -> [UInt8]? {
      if kept != nil { return kept }
      if let hit = event.hit {
        kept = Array(JSONWriter.compact(.object(hit.object)).utf8)
      } else if file.isStandardInput || (!budgetAsked && budget?.take(event.bytes.count) == true) {
        kept = Array(event.bytes)
        scan.keptRecords += 1
      }
      if budget != nil { budgetAsked = true }
      return kept
    }
    for r in rules.indices where event.possibleRules & (1 << r) != 0 && evaluators[r].matches(fields) {
      let time = event.time
      let key = Detection.eventKey(fields, path: file.path, location: event.location, hit: event.hit?.index)
      let retained = retained(from: keeping.budget(queryOnly: termFields[r].isEmpty))
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
    rejectedRecords += other.rejectedRecords
    untimedSkippedRecords += other.untimedSkippedRecords
    issues.append(contentsOf: other.issues.prefix(max(0, maxListedIssues - issues.count)))
    fileErrors += other.fileErrors
    warnings += other.warnings
    enrichmentFailures += other.enrichmentFailures
    eventsMapped += other.eventsMapped
    scalarReadRecords += other.scalarReadRecords
    keptRecords += other.keptRecords
    if let t = other.earliestEvent { noteTime(t) }
    if let t = other.latestEvent { noteTime(t) }
  }
}

extension String {
  fileprivate func replacingWhitespace() -> String {
    String(String.UnicodeScalarView(unicodeScalars.filter { !$0.properties.isWhitespace }))
  }
}
