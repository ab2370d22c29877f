import Foundation

/// Reads the logs again for the events related to one alert: a byte search for the alert's
/// principal, access key, function and address skips every other record without parsing it, so
/// the pass runs near I/O speed and holds only the related events (at most `limit`).
public enum EvidenceCollector {
  public static let defaultLimit = 20_000

  public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The session was reopened without its logs, or they moved.
    case logsMissing([String])
    case failed(String)
    /// The alert's event is in a file the session's evidence does not read (a rerun on other
    /// logs): its steps would report absence where the logs were simply not read.
    case alertLogsNotRead(String)
    public var description: String {
      switch self {
      case .alertLogsNotRead(let path): return "evidence not read: this alert's logs are not among those read now (the last run was on other logs); reopen with them to see evidence. Its event is in \(path)"
      case .logsMissing(let paths): return "evidence needs the logs this session was detected on (\(paths.joined(separator: " "))); reopen with them"
      case .failed(let message): return message
      }
    }
  }

  public static func collect(for alert: Alert, options: DetectionOptions, limit: Int = defaultLimit) -> Result<[RelatedEvent], Failure> {
    collect(for: [alert], options: options, limit: limit, keepDocuments: true).map { $0[0] }
  }

  /// The guides look 10 days back (rule B's history) and 10 days on (calls to an exposed URL); events outside
  /// that window are not kept, which bounds memory by what the steps can use.
  /// A wider "around the alert" window than 10 days widens it.
  static func window(of alert: Alert, around: Int64 = AlertEvidence.defaultWindowMillis) -> ClosedRange<Int64> {
    let time = Timestamp.parseMillis(alert.originalTime) ?? 0
    let reach = max(AlertEvidence.historyMillis, around)
    return (time - reach)...(time + reach)
  }

  /// The related events of many alerts; the result is in the order of `alerts`, each list at
  /// most `limit` events, sorted by time. With a complete index only the records it names are read;
  /// without one (or past its budget) the logs are scanned once for all the alerts.
  /// `keepDocuments: false` drops each event's ECS document (reports need only the summary fields).
  public static func collect(
    for alerts: [Alert], options: DetectionOptions, index: EvidenceIndex? = nil, limit: Int = defaultLimit, keepDocuments: Bool,
    around: Int64 = AlertEvidence.defaultWindowMillis
  ) -> Result<[[RelatedEvent]], Failure> {
    var results = [[RelatedEvent]](repeating: [], count: alerts.count)
    return collect(for: alerts, options: options, index: index, limit: limit, keepDocuments: keepDocuments, around: around) { results[$0] = $1 }.map { results }
  }

  /// As above, handing each alert's events to `each` (alert position, events) one alert at a time,
  /// so a report over thousands of alerts holds every related event once, not once per alert.
  public static func collect(
    for alerts: [Alert], options: DetectionOptions, index: EvidenceIndex?, limit: Int = defaultLimit, keepDocuments: Bool,
    around: Int64 = AlertEvidence.defaultWindowMillis, each: (Int, [RelatedEvent]) -> Void
  ) -> Result<Void, Failure> {
    let missing = options.paths.filter { !FileManager.default.fileExists(atPath: $0) }
    if options.paths.isEmpty || !missing.isEmpty { return .failure(.logsMissing(options.paths)) }
    var gathering = Gathering(alerts: alerts, limit: limit, keepDocuments: keepDocuments, around: around)
    guard !gathering.isEmpty else {
      for position in alerts.indices { each(position, []) }
      return .success(())
    }
    let setup: StandardPipeline.Setup
    do { setup = try StandardPipeline.make(for: options) } catch { return .failure(.failed("\(error)")) }
    do {
      if let index, index.isComplete {
        try read(index: index, queries: gathering.queries, windows: gathering.windows, pipeline: setup.pipeline,
                 projection: keepDocuments ? nil : RelatedEvent.projectionBesideRecord) { gathering.offer($0) }
      } else {
        try scan(paths: options.paths, needles: gathering.needles, pipeline: setup.pipeline) { gathering.offer($0) }
      }
    } catch {
      return .failure(.failed("\(error)"))
    }
    gathering.putInTimeOrder()
    for position in alerts.indices { each(position, gathering.events(of: position)) }
    return .success(())
  }

  /// Reads the records the index names for the queries, file by file.
  /// `projection`: map only these fields (the documents are not kept).
  private static func read(
    index: EvidenceIndex, queries: [EvidenceQuery], windows: [ClosedRange<Int64>], pipeline: EventPipeline, projection: MappingProjection?,
    _ offer: (RelatedEvent) -> Void
  ) throws {
    var wanted = EvidenceIndex.Wanted(index)
    for (query, window) in zip(queries, windows) {
      wanted.add(index, principalARN: query.principalARN, accessKeyID: query.accessKeyID, functionName: query.functionName, address: query.sourceIP, window: window)
    }
    // Work items in input order: a plain file's records in runs, a compressed file whole (it is
    // decompressed once). Mapping dominates, so items are read on every core a window at a time
    // and their events offered in order.
    var items: [(path: String, locations: [RecordLocation])] = []
    for (fileIndex, locations) in index.locations(wanted).sorted(by: { $0.key < $1.key }) {
      let path = index.files.indices.contains(Int(fileIndex)) ? index.files[Int(fileIndex)] : "?"
      let run = path.hasSuffix(".gz") ? max(locations.count, 1) : 2048
      for start in stride(from: 0, to: locations.count, by: run) {
        items.append((path, Array(locations[start..<min(start + run, locations.count)])))
      }
    }
    let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let windows = stride(from: 0, to: items.count, by: workers * 2).map { Array(items[$0..<min($0 + workers * 2, items.count)]) }
    // Each window is mapped on the worker cores while the events of the one before are offered
    // here: offering is serial, and waiting for it left the cores idle for a third of a report.
    var previous: [Result<[RelatedEvent], InputError>] = []
    // One empty window more: its turn offers the last window's events.
    for window in windows + [[]] {
      let mapping = ParallelMap.Background {
        ParallelMap.outcomes(count: window.count) { k throws(InputError) -> [RelatedEvent] in
          var events: [RelatedEvent] = []
          try RecordFetcher.forEach(path: window[k].path, locations: window[k].locations) { bytes, location in
            for (document, record) in mapped(bytes, pipeline: pipeline, projection: projection) {
              events.append(RelatedEvent(document: document, record: record, location: describe(window[k].path, location)))
            }
          }
          return events
        }
      }
      defer { previous = mapping.wait() }
      for outcome in previous {
        for event in try outcome.get() { offer(event) }
      }
    }
  }

  /// Scans the logs, parsing only records that contain one of the needles.
  private static func scan(paths: [String], needles: [[UInt8]], pipeline: EventPipeline, _ offer: (RelatedEvent) -> Void) throws {
    let files = try InputFileFinder().expand(paths).files
    var reader = EventReader(files: files, pipeline: pipeline, prefilter: false, maxListedIssues: 0)
    reader.needles = needles
    var summary = DetectionSummary()
    try reader.run(summary: &summary, isCancelled: nil, progress: nil, onEvent: { event in
      let path = files.indices.contains(Int(event.location.fileIndex)) ? files[Int(event.location.fileIndex)].path : "?"
      offer(RelatedEvent(document: event.document, location: describe(path, event.location)))
    }, onAlert: { _, _ in })
  }

  /// The events in a record read back: mapped and enriched as detection did, each with the raw
  /// record it was mapped from (nil for ECS documents).
  private static func mapped(_ bytes: [UInt8], pipeline: EventPipeline, projection: MappingProjection?) -> [(document: JSONObject, record: JSONObject?)] {
    var events = bytes.withUnsafeBufferPointer { pipeline.events(in: $0, projection: projection) }
    if let enrich = pipeline.enrich {
      for i in events.indices { try? enrich(&events[i].document) }
    }
    return events
  }

  /// `file:line` or `file#record N` (positions are 1-based already).
  static func describe(_ path: String, _ location: RecordLocation) -> String {
    path + location.suffix
  }
}

/// The events of many alerts as they are read: each event reaches the alerts that share its
/// principal, key, function or address (four lookups whatever their number) and whose window
/// holds it. The index only narrows what is read; this decides what is evidence.
struct Gathering {
  let queries: [EvidenceQuery]
  let windows: [ClosedRange<Int64>]
  let limit: Int
  let keepDocuments: Bool
  /// Every related event once; alerts refer to them by position.
  private var pool: [RelatedEvent] = []
  /// The texts events repeat (action, principal, address, agent...), each kept once: a report
  /// over a busy trail pools hundreds of thousands of events with a few hundred distinct values.
  private var sharing = TextSharing()
  private var results: [[Int32]]
  private var byValue: [[String: [Int]]] = [[:], [:], [:], [:]]
  private var visited: [Int]
  private var offers = 0

  init(alerts: [Alert], limit: Int, keepDocuments: Bool, around: Int64) {
    queries = alerts.map(EvidenceQuery.init)
    windows = alerts.map { EvidenceCollector.window(of: $0, around: around) }
    self.limit = limit
    self.keepDocuments = keepDocuments
    results = Array(repeating: [], count: alerts.count)
    visited = Array(repeating: 0, count: alerts.count)
    for (index, query) in queries.enumerated() {
      for (slot, value) in [query.principalARN, query.accessKeyID, query.functionName, query.sourceIP].enumerated() {
        if let value { byValue[slot][value, default: []].append(index) }
      }
    }
  }

  var needles: [[UInt8]] { Array(Set(queries.flatMap(\.needles))) }
  var isEmpty: Bool { needles.isEmpty }

  mutating func offer(_ event: RelatedEvent) {
    var event = event
    var added = false
    // An alert related by two values is visited once: marked with this offer's number.
    offers += 1
    for (slot, value) in [event.principalKey, event.accessKeyID, event.functionName, event.sourceIP].enumerated() {
      guard let value, let indices = byValue[slot][value] else { continue }
      for index in indices where visited[index] != offers {
        visited[index] = offers
        guard results[index].count < limit && windows[index].contains(event.millis) else { continue }
        if !added {
          if !keepDocuments {
            event.document = JSONObject()
            // The steps read request parameters of Lambda actions only (URL configs, tags,
            // permissions): a report over many alerts need not hold every other event's.
            if event.provider != "lambda.amazonaws.com" { event.requestParameters = nil }
          }
          sharing.share(&event)
          pool.append(event)
          added = true
        }
        results[index].append(Int32(pool.count - 1))
      }
    }
  }

  /// Ranks the pool by time once (then place; ties stay in the order they were read), so each
  /// alert's events come in time order by sorting its ranks, not its events: a report's alerts
  /// share most of their events, and sorting (and copying) thousands of events per alert was
  /// most of its time. The pool itself stays where it is (a reordered copy would double it).
  mutating func putInTimeOrder() {
    let order = pool.indices.sorted { a, b in
      (pool[a].millis, pool[a].location) < (pool[b].millis, pool[b].location)
    }
    var rank = [Int32](repeating: 0, count: pool.count)
    for (position, index) in order.enumerated() { rank[index] = Int32(position) }
    results = results.map { $0.map { rank[Int($0)] }.sorted().map { Int32(order[Int($0)]) } }
  }

  /// One alert's events, by time (after `putInTimeOrder`).
  func events(of position: Int) -> [RelatedEvent] {
    results[position].map { pool[Int($0)] }
  }
}

/// What relates an event to an alert.
struct EvidenceQuery {
  /// The principal as history counts it (`PrincipalKey`: an assumed role, not its session).
  let principalARN: String?
  let accessKeyID: String?
  let functionName: String?
  let sourceIP: String?

  init(_ alert: Alert) {
    principalARN = PrincipalKey.of(alert.string("aws.cloudtrail.user_identity.arn"))
    accessKeyID = alert.string("aws.cloudtrail.user_identity.access_key_id")
    let name = alert.requestParameters?["functionName"]?.keywordText ?? alert.string("aws.cloudtrail.resources.arn")
    functionName = name.map(RelatedEvent.bareFunctionName)
    sourceIP = alert.string("source.ip")
  }

  var needles: [[UInt8]] {
    [principalARN, accessKeyID, functionName, sourceIP].compactMap { $0 }.filter { $0.utf8.count >= 3 }.map { Array($0.utf8) }
  }
}

/// Equal texts stored once: later copies are replaced by the first (equal in bytes, not only
/// canonically), so they share one buffer.
struct TextSharing {
  private var ids = ByteInterner()
  private var texts: [String] = []

  mutating func shared(_ text: String) -> String {
    var bytes = text
    let id = Int(bytes.withUTF8 { ids.id($0) })
    if id == texts.count { texts.append(text) }
    return texts[id]
  }

  mutating func share(_ event: inout RelatedEvent) {
    event.shareTexts { shared($0) }
  }
}
