/// Streams a run's inputs as events: cuts records, pre-filters, parses, classifies, maps and
/// enriches, reporting every record it cannot use. Holds one record at a time.
struct EventReader {
  struct Event {
    let fields: EventFields
    let location: RecordLocation
    let sequence: Int
    /// The record's bytes, valid during the callback only.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Set when the event is one hit of an Elasticsearch `_search` response: the record holds
    /// many events, so the hit itself is what can be read back.
    var hit: SearchHit? = nil
    /// The rules (as bits) the event can match at all; the others need not be evaluated.
    var possibleRules = -1
    /// `DetectionTime.of(document)`, worked out once when the event was read.
    let time: Int64

    /// The event's ECS document (built here for an event read as scalars).
    var document: JSONObject { fields.document }
  }

  struct SearchHit {
    /// 0-based position among the response's hits.
    let index: Int
    let object: JSONObject
  }

  let files: [InputFile]
  let pipeline: EventPipeline
  /// Skip records that cannot match any rule without parsing them (detect); off for `ecs`.
  let prefilter: Bool
  let maxListedIssues: Int
  /// When set, only records containing one of these byte strings are parsed (evidence scans).
  var needles: [[UInt8]] = []
  /// When set (detect), raw CloudTrail is mapped only as far as the rules its action leaves
  /// possible read.
  var gating: RuleGating? = nil
  /// See `ByteSourceOpener.open`.
  var wholeGzipLimit = WholeGzipByteSource.maxCompressedBytes
  /// Inflate streamed gzip on a thread of its own (set when the run leaves a core idle).
  var prefetchStreams = false

  /// Reads everything in order; `onEvent` sees ECS events, `onAlert` imported Kibana alerts.
  func run(
    summary: inout DetectionSummary,
    isCancelled: (() -> Bool)?,
    progress: ((_ filesDone: Int, _ records: Int, _ bytes: Int64) -> Void)?,
    onEvent: (Event) throws -> Void,
    onAlert: (JSONObject, UnsafeBufferPointer<UInt8>) -> Void
  ) throws(DetectionError) {
    var sequence = 0
    for fileIndex in files.indices {
      _ = try scan(ScanUnit(fileIndex: fileIndex), summary: &summary, sequence: &sequence, isCancelled: isCancelled, progress: { records, bytes in
        progress?(fileIndex, records, bytes)
      }, onEvent: onEvent, onAlert: onAlert)
      // Whole files: their lines are already the file's.
      summary.reportEnrichmentFailures()
      progress?(fileIndex + 1, summary.records, summary.bytes)
    }
  }

  /// What a unit spanned, to number the positions of the file's next unit after it.
  struct Extent {
    var lines = 0
    /// Records of the container an envelope piece started in (0 for other units).
    var records = 0
    /// Where that container closed inside the piece, if it did; `lastRecords` then counts the
    /// records of the container the piece ended in.
    var envelopeEnd: Int64?
    var lastRecords = 0
    /// False when the unit is an envelope piece whose guessed boundaries did not hold.
    var boundaryHeld = true
  }

  /// Reads one file, adding to `summary`. Independent per file, so files can be scanned in
  /// parallel and their results merged in file order.
  func scan(
    _ unit: ScanUnit,
    summary: inout DetectionSummary,
    sequence: inout Int,
    isCancelled: (() -> Bool)?,
    progress: ((_ records: Int, _ bytes: Int64) -> Void)?,
    onEvent: (Event) throws -> Void,
    onAlert: (JSONObject, UnsafeBufferPointer<UInt8>) -> Void,
    onIndex: ((EvidenceEntry, RecordLocation) -> Void)? = nil,
    onOpen: ((AnyByteSource) -> Void)? = nil
  ) throws(DetectionError) -> Extent {
    let fileIndex = unit.fileIndex
    let file = files[fileIndex]
    if isCancelled?() == true { throw .cancelled }
    switch file.role {
    case .digest: summary.digestFiles += 1; return Extent()
    case .insight: summary.insightFiles += 1; return Extent()
    case .logs: break
    }
    if unit.chunk == 0 { summary.files += 1 }
    let source: AnyByteSource
    do {
      if let range = unit.range {
        source = AnyByteSource(try FileRangeByteSource(path: file.path, range: range))
      } else {
        source = try ByteSourceOpener.open(file.path, wholeGzipLimit: wholeGzipLimit, prefetch: prefetchStreams)
      }
    } catch {
      summary.fileErrors.append(error.description)
      // A piece that could not be read says nothing of its cut: the file is tried again whole.
      return Extent(boundaryHeld: unit.envelope == nil)
    }
    onOpen?(source)
    let bytesBefore = summary.bytes
    let badBefore = summary.badRecords
    var splitter = RecordSplitter(
      source: source, fileIndex: fileIndex, path: file.path, baseOffset: unit.range?.lowerBound ?? 0,
      lineOriented: unit.range == nil || unit.envelope != nil ? nil : true, envelopeChunk: unit.envelope)
    var recordsInFile = 0
    var failed = false
    var times = TimestampStream()
    do {
      try splitter.forEach({ bytes, location in
        recordsInFile += 1
        summary.records += 1
        if summary.records & 0x3FFF == 0 {
          if isCancelled?() == true { throw DetectionError.cancelled }
          progress?(summary.records, bytesBefore + location.offset)
        }
        // An array element or envelope entry that is not an object is a bad record, as the parse
        // would say, not a record of another service (the pre-filter finds no keys in it).
        if bytes.first != UInt8(ascii: "{") {
          report(&summary, file.path, location, "not a JSON object")
          return
        }
        if !needles.isEmpty && !needles.contains(where: { RecordPrefilter.contains(bytes, $0) }) {
          summary.skippedRecords += 1
          return
        }
        if prefilter, case let verdict = RecordPrefilter.verdict(bytes, times: &times), verdict.skip {
          summary.skippedRecords += 1
          if let t = verdict.time { summary.noteTime(t) } else { summary.untimedSkippedRecords += 1 }
          if let onIndex {
            if let found = RawRecordKeys.extract(bytes) { onIndex(.raw(found, bytes), location) } else { indexSkipped(bytes, location: location, onIndex: onIndex) }
          }
          return
        }
        if let gating, gating.readsAnyScalars, let read = ScalarRecordReader.scalars(bytes, gating: gating) {
          summary.rawCloudTrailRecords += 1
          summary.scalarReadRecords += 1
          // The index files every event by keys read from its document.
          if onIndex != nil || !pipeline.enrichesScalars {
            try deliver(ScalarRecordReader.document(read.values), possibleRules: read.possibleRules, bytes: bytes, location: location, path: file.path, sequence: &sequence, summary: &summary, onEvent: onEvent, onIndex: onIndex)
          } else {
            try deliver(scalars: read.values, possibleRules: read.possibleRules, bytes: bytes, location: location, path: file.path, sequence: &sequence, summary: &summary, onEvent: onEvent)
          }
          return
        }
        let kind: RecordKind
        do { kind = try parseAndClassify(bytes) } catch {
          report(&summary, file.path, location, "\(error)")
          return
        }
        try handle(kind, bytes: bytes, location: location, path: file.path, sequence: &sequence, summary: &summary, onEvent: onEvent, onAlert: onAlert, onIndex: onIndex)
      }, issue: { issue in
        summary.badRecords += 1
        if summary.issues.count < maxListedIssues { summary.issues.append(issue) }
      })
    } catch let error as DetectionError {
      throw error
    } catch let error as InputError {
      failed = true
      summary.fileErrors.append(error.description)
    } catch {
      failed = true
      summary.fileErrors.append("\(file.path): \(error)")
    }
    // A file whose only records were bad has had them reported; one with no records at all is
    // worth a word, since it alerts on nothing.
    if recordsInFile == 0 && !failed && unit.range == nil && summary.badRecords == badBefore {
      summary.warnings.append(splitter.bytesConsumed == 0 ? "\(file.path): no records (empty file)" : "\(file.path): no records in it")
    }
    summary.bytes = bytesBefore + splitter.bytesConsumed
    if unit.envelope == nil { return Extent(lines: splitter.linesConsumed) }
    return Extent(
      lines: splitter.linesConsumed, records: splitter.envelopeRecords, envelopeEnd: splitter.initialEnvelopeEnd,
      lastRecords: splitter.lastEnvelopeRecords, boundaryHeld: !failed && splitter.boundaryHeld)
  }

  /// Parses a record; with gating, the large members of a raw CloudTrail record that the mapping
  /// for its possible rules does not read are validated but not built. Anything that turns out
  /// not to be raw CloudTrail is parsed again in full.
  private func parseAndClassify(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> RecordKind {
    guard let gating else { return RecordKind.classify(try JSONParser.parse(bytes)) }
    let parsed = try gating.parse(bytes)
    let kind = RecordKind.classify(parsed.value)
    if case .cloudTrail = kind { return kind }
    return parsed.skipped ? RecordKind.classify(try JSONParser.parse(bytes)) : kind
  }

  /// A record the rules cannot match but the evidence index needs, in a shape the byte reader
  /// does not handle (ECS, Lambda, escapes): parsed and mapped for its keys only. It still counts as
  /// skipped, and a record that does not parse is simply not indexed, as the pre-filter would have it.
  private func indexSkipped(_ bytes: UnsafeBufferPointer<UInt8>, location: RecordLocation, onIndex: (EvidenceEntry, RecordLocation) -> Void) {
    for document in pipeline.documents(in: bytes) {
      if let keys = EvidenceKeys(document: document) { onIndex(.keys(keys), location) }
    }
  }

  private func report(_ summary: inout DetectionSummary, _ path: String, _ location: RecordLocation, _ reason: String) {
    summary.badRecords += 1
    summary.rejectedRecords += 1
    if summary.issues.count < maxListedIssues {
      summary.issues.append(RecordIssue(path: path, line: Int(location.line), recordIndex: Int(location.recordIndex), offset: location.offset, reason: reason))
    }
  }

  private func handle(
    _ kind: RecordKind, bytes: UnsafeBufferPointer<UInt8>, location: RecordLocation, path: String,
    sequence: inout Int, summary: inout DetectionSummary,
    onEvent: (Event) throws -> Void, onAlert: (JSONObject, UnsafeBufferPointer<UInt8>) -> Void,
    onIndex: ((EvidenceEntry, RecordLocation) -> Void)?, hit: SearchHit? = nil
  ) throws {
    var document: JSONObject
    var possibleRules = -1
    switch kind {
    case .cloudTrail(let record):
      summary.rawCloudTrailRecords += 1
      if let gating, let map = pipeline.mapProjected {
        possibleRules = gating.possibleRules(action: record["eventName"].flatMap(CloudTrailMapper.scalarText))
        let projection = gating.projection(for: possibleRules)
        document = map(record, projection.wants("event.original") ? String(decoding: bytes, as: UTF8.self) : nil, projection)
      } else {
        document = pipeline.mapCloudTrail(record, String(decoding: bytes, as: UTF8.self))
      }
    case .ecs(let object):
      summary.ecsDocuments += 1
      document = EventPipeline.nested(object)
    case .kibanaAlert(let object):
      summary.importedAlerts += 1
      onAlert(object, bytes)
      return
    case .searchResponse(let hits):
      for (index, object) in hits.enumerated() {
        try handle(RecordKind.classify(.object(object)), bytes: bytes, location: location, path: path, sequence: &sequence, summary: &summary,
                   onEvent: onEvent, onAlert: onAlert, onIndex: onIndex, hit: SearchHit(index: index, object: object))
      }
      return
    case .digest:
      summary.digestRecords += 1
      return
    case .insight:
      summary.insightRecords += 1
      return
    case .unknown(let reason):
      report(&summary, path, location, reason)
      return
    }
    try deliver(document, possibleRules: possibleRules, bytes: bytes, location: location, path: path, sequence: &sequence, summary: &summary, onEvent: onEvent, onIndex: onIndex, hit: hit)
  }

  /// Enriches a mapped event, checks its time, indexes it and hands it on.
  private func deliver(
    _ document: JSONObject, possibleRules: Int, bytes: UnsafeBufferPointer<UInt8>, location: RecordLocation, path: String,
    sequence: inout Int, summary: inout DetectionSummary,
    onEvent: (Event) throws -> Void, onIndex: ((EvidenceEntry, RecordLocation) -> Void)?, hit: SearchHit? = nil
  ) throws {
    var document = document
    if let enrich = pipeline.enrich {
      do { try enrich(&document) } catch {
        summary.noteEnrichmentFailure(path, location, error)
      }
    }
    guard let time = DetectionTime.of(document) else {
      report(&summary, path, location, "no usable @timestamp (eventTime missing or malformed)")
      return
    }
    summary.noteTime(time)
    if let onIndex, let keys = EvidenceKeys(document: document) { onIndex(.keys(keys), location) }
    summary.eventsMapped += 1
    sequence += 1
    try onEvent(Event(fields: .document(document), location: location, sequence: sequence, bytes: bytes, hit: hit, possibleRules: possibleRules, time: time))
  }

  /// `deliver` for an event read as scalars: enrichment is looked up, not written into a document.
  private func deliver(
    scalars values: [JSONValue?], possibleRules: Int, bytes: UnsafeBufferPointer<UInt8>, location: RecordLocation, path: String,
    sequence: inout Int, summary: inout DetectionSummary, onEvent: (Event) throws -> Void
  ) throws {
    var lookup: SourceEnricher.Lookup?
    if pipeline.enrich != nil, let enricher = pipeline.enricher, case .string(let address)? = values[ScalarRecordReader.Field.sourceIP.rawValue] {
      lookup = enricher.lookUp(address)
      if let error = lookup?.error { summary.noteEnrichmentFailure(path, location, error) }
    }
    let event = ScalarEvent(values: values, lookup: lookup)
    guard let time = DetectionTime.of(event) else {
      report(&summary, path, location, "no usable @timestamp (eventTime missing or malformed)")
      return
    }
    summary.noteTime(time)
    summary.eventsMapped += 1
    sequence += 1
    try onEvent(Event(fields: .scalars(event), location: location, sequence: sequence, bytes: bytes, possibleRules: possibleRules, time: time))
  }
}

/// A piece of work for one scanner: a whole file, a newline-aligned byte range of a large
/// NDJSON file, or a piece of a large `{"Records":[...]}` file.
struct ScanUnit: Sendable {
  let fileIndex: Int
  var range: Range<Int64>? = nil
  var chunk = 0
  var envelope: EnvelopeChunk? = nil
}

/// Positions across a file's chunks: each chunk counts its lines (and an envelope piece the
/// records of the container it starts in) from 1, so a later chunk's come after the earlier
/// chunks'. Fed every unit in order.
struct ChunkNumbering: Sendable {
  struct Base {
    var lines = 0
    var records = 0
    /// Records from here on are in a container that began inside the unit: already the file's.
    var recordsUntil = Int64.max

    /// A record number of the unit as the file's.
    func recordIndex(_ index: Int, at offset: Int64) -> Int {
      index > 0 && offset < recordsUntil ? index + records : index
    }
  }
  private var lines = 0
  private var records = 0
  private var file = -1

  /// What to add to the line numbers and record numbers `unit` reported; then counts its own.
  mutating func base(of unit: ScanUnit, _ extent: EventReader.Extent) -> Base {
    if unit.fileIndex != file {
      file = unit.fileIndex
      (lines, records) = (0, 0)
    }
    let base = Base(lines: lines, records: records, recordsUntil: extent.envelopeEnd ?? .max)
    lines += extent.lines
    records = extent.envelopeEnd == nil ? records + extent.records : extent.lastRecords
    return base
  }
}

/// The time a rule windows an event on: `event.ingested` (both rules' timestamp override) when
/// present, else `@timestamp`.
enum DetectionTime {
  private static let ingested = FieldPath("event.ingested"), timestamp = FieldPath("@timestamp")

  static func of(_ fields: some FieldReader) -> Int64? {
    if let ingested = fields.value(at: ingested)?.stringValue, let t = Timestamp.parseMillis(ingested) { return t }
    guard let text = fields.value(at: timestamp)?.stringValue else { return nil }
    return Timestamp.parseMillis(text)
  }
}

extension DetectionSummary {
  mutating func noteEnrichmentFailure(_ path: String, _ location: RecordLocation, _ error: any Error) {
    enrichmentFailures.append(RecordIssue(path: path, line: Int(location.line), recordIndex: Int(location.recordIndex), offset: location.offset, reason: "enrichment failed: \(error)"))
  }

  /// Moves the enrichment failures noted so far into `warnings`, once their lines are final.
  mutating func reportEnrichmentFailures() {
    warnings += enrichmentFailures.map(\.description)
    enrichmentFailures = []
  }

  mutating func noteTime(_ t: Int64) {
    if earliestEvent.map({ t < $0 }) ?? true { earliestEvent = t }
    if latestEvent.map({ t > $0 }) ?? true { latestEvent = t }
  }
}
