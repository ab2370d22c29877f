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
    public var description: String {
      switch self {
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
  static func window(of alert: Alert) -> ClosedRange<Int64> {
    let time = Timestamp.parseMillis(alert.originalTime) ?? 0
    return (time - AlertEvidence.historyMillis)...(time + AlertEvidence.historyMillis)
  }

  /// The related events of many alerts in one pass over the logs (reports cover every alert);
  /// the result is in the order of `alerts`, each list at most `limit` events.
  /// `keepDocuments: false` drops each event's ECS document (reports need only the summary fields).
  public static func collect(for alerts: [Alert], options: DetectionOptions, limit: Int = defaultLimit, keepDocuments: Bool) -> Result<[[RelatedEvent]], Failure> {
    let missing = options.paths.filter { !FileManager.default.fileExists(atPath: $0) }
    if options.paths.isEmpty || !missing.isEmpty { return .failure(.logsMissing(options.paths)) }
    let queries = alerts.map(EvidenceQuery.init)
    let windows = alerts.map(window)
    var needles = Set<[UInt8]>()
    for query in queries { needles.formUnion(query.needles) }
    var results = [[RelatedEvent]](repeating: [], count: alerts.count)
    guard !needles.isEmpty else { return .success(results) }
    let files: [InputFile]
    let setup: StandardPipeline.Setup
    do {
      files = try InputFileFinder().expand(options.paths).files
      setup = try StandardPipeline.make(for: options)
    } catch {
      return .failure(.failed("\(error)"))
    }
    var reader = EventReader(files: files, pipeline: setup.pipeline, prefilter: false, maxListedIssues: 0)
    reader.needles = Array(needles)
    // Which alerts each principal, key, function and address belongs to, so an event finds its
    // alerts by four lookups whatever their number.
    var byValue: [[String: [Int]]] = [[:], [:], [:], [:]]
    for (index, query) in queries.enumerated() {
      for (slot, value) in [query.principalARN, query.accessKeyID, query.functionName, query.sourceIP].enumerated() {
        if let value { byValue[slot][value, default: []].append(index) }
      }
    }
    var summary = DetectionSummary()
    do {
      try reader.run(summary: &summary, isCancelled: nil, progress: nil, onEvent: { event in
        var related = RelatedEvent(document: event.document, location: describe(event.location, files))
        var hits = Set<Int>()
        for (slot, value) in [related.principalARN, related.accessKeyID, related.functionName, related.sourceIP].enumerated() {
          if let value, let indices = byValue[slot][value] { hits.formUnion(indices) }
        }
        if !keepDocuments { related.document = JSONObject() }
        for index in hits.sorted() where results[index].count < limit && windows[index].contains(related.millis) {
          results[index].append(related)
        }
      }, onAlert: { _, _ in })
    } catch {
      return .failure(.failed("\(error)"))
    }
    for index in results.indices {
      results[index].sort { ($0.millis, $0.location) < ($1.millis, $1.location) }
    }
    return .success(results)
  }

  static func describe(_ location: RecordLocation, _ files: [InputFile]) -> String {
    let path = files.indices.contains(Int(location.fileIndex)) ? files[Int(location.fileIndex)].path : "?"
    return location.line > 0 ? "\(path):\(location.line)" : "\(path)#record \(location.recordIndex + 1)"
  }
}

/// What relates an event to an alert.
struct EvidenceQuery {
  let principalARN: String?
  let accessKeyID: String?
  let functionName: String?
  let sourceIP: String?

  init(_ alert: Alert) {
    principalARN = alert.string("aws.cloudtrail.user_identity.arn")
    accessKeyID = alert.string("aws.cloudtrail.user_identity.access_key_id")
    let name = alert.requestParameters?["functionName"]?.keywordText ?? alert.string("aws.cloudtrail.resources.arn")
    functionName = name.map(RelatedEvent.bareFunctionName)
    sourceIP = alert.string("source.ip")
  }

  var needles: [[UInt8]] {
    [principalARN, accessKeyID, functionName, sourceIP].compactMap { $0 }.filter { $0.utf8.count >= 3 }.map { Array($0.utf8) }
  }
}
