import Foundation
import Synchronization

/// Where a session's evidence comes from: the index its detection run built, or, for a session
/// reopened from its state file, an index built on the first request by one pass over the logs
/// (then kept, so every later alert's evidence reads only its own records).
public final class EvidenceSource: Sendable {
  private let options: DetectionOptions
  private let index: Mutex<EvidenceIndex?>
  /// The input files evidence reads, resolved, found on first use.
  private let readFiles = Mutex<Set<String>?>(nil)
  /// How far "around the alert" reaches for the steps that look there (ms).
  public let window: Int64

  public init(options: DetectionOptions, index: EvidenceIndex?, window: Int64 = AlertEvidence.defaultWindowMillis) {
    var options = options
    options.exclusions = []
    self.options = options
    self.index = Mutex(index)
    self.window = window
  }

  /// One alert's answers per step.
  public func evidence(for alert: Alert) -> Result<AlertEvidence, EvidenceCollector.Failure> {
    if let path = unreadSource(of: alert) { return .failure(.alertLogsNotRead(path)) }
    return events(for: alert).map { AlertEvidence.build(alert: alert, events: $0, window: window) }
  }

  /// The file an alert's event came from, when the logs read for evidence do not include it (nil
  /// when they do, or when the alert names no file, as alerts imported from Elastic may not).
  public func unreadSource(of alert: Alert) -> String? {
    guard let path = alert.string("lambda_triage.source.path"), path != "-" else { return nil }
    let files = readFiles.withLock { known -> Set<String>? in
      if let known { return known }
      // Logs that are gone altogether are reported as such (`logsMissing`), for every alert.
      guard !options.paths.isEmpty, options.paths.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else { return nil }
      let expanded = (try? InputFileFinder().expand(options.paths).files.map(\.path)) ?? []
      let resolved = Set(expanded.compactMap(Self.resolved))
      known = resolved
      return resolved
    }
    guard let files else { return nil }
    guard let resolved = Self.resolved(path), files.contains(resolved) else { return path }
    return nil
  }

  private static func resolved(_ path: String) -> String? {
    guard let pointer = realpath(path, nil) else { return nil }
    defer { free(pointer) }
    return String(cString: pointer)
  }

  public func events(for alert: Alert) -> Result<[RelatedEvent], EvidenceCollector.Failure> {
    events(for: [alert], keepDocuments: true).map { $0[0] }
  }

  public func events(for alerts: [Alert], keepDocuments: Bool) -> Result<[[RelatedEvent]], EvidenceCollector.Failure> {
    var results = [[RelatedEvent]](repeating: [], count: alerts.count)
    return events(for: alerts, keepDocuments: keepDocuments) { results[$0] = $1 }.map { results }
  }

  /// Each alert's events in turn (see `EvidenceCollector.collect(for:options:index:limit:keepDocuments:each:)`).
  public func events(for alerts: [Alert], keepDocuments: Bool, each: (Int, [RelatedEvent]) -> Void) -> Result<Void, EvidenceCollector.Failure> {
    let current: EvidenceIndex
    switch ensureIndex() {
    case .success(let built): current = built
    case .failure(let failure): return .failure(failure)
    }
    return EvidenceCollector.collect(for: alerts, options: options, index: current, keepDocuments: keepDocuments, around: window, each: each)
  }

  /// Many alerts' answers per step, handed to `each` in alert order without the events behind
  /// them (a report prints the lines only). They are built on every core a batch at a time:
  /// built one after another, they took a fifth of a report over hundreds of alerts.
  public func evidence(for alerts: [Alert], each: (Int, AlertEvidence) -> Void) -> Result<Void, EvidenceCollector.Failure> {
    var batch: [(position: Int, events: [RelatedEvent])] = []
    let window = self.window
    func build() {
      let pending = batch
      let built = ParallelMap.outcomes(count: pending.count) { k throws(Never) -> AlertEvidence in
        var evidence = AlertEvidence.build(alert: alerts[pending[k].position], events: pending[k].events, window: window)
        evidence.events = []
        return evidence
      }
      for (k, outcome) in built.enumerated() { each(pending[k].position, outcome.get()) }
      batch.removeAll(keepingCapacity: true)
    }
    let outcome = events(for: alerts, keepDocuments: false) { position, events in
      batch.append((position, events))
      if batch.count == 64 { build() }
    }
    build()
    return outcome
  }

  private func ensureIndex() -> Result<EvidenceIndex, EvidenceCollector.Failure> {
    index.withLock { held in
      if let held { return .success(held) }
      switch EvidenceIndex.build(options) {
      case .success(let built):
        held = built
        return .success(built)
      case .failure(let failure):
        return .failure(failure)
      }
    }
  }
}

extension EvidenceIndex {
  /// An index-only pass over the logs: the detection reader with no rules.
  public static func build(_ options: DetectionOptions, budgetBytes: Int = defaultBudgetBytes) -> Result<EvidenceIndex, EvidenceCollector.Failure> {
    let missing = options.paths.filter { !FileManager.default.fileExists(atPath: $0) }
    if options.paths.isEmpty || !missing.isEmpty { return .failure(.logsMissing(options.paths)) }
    var indexing = options
    indexing.rules = []
    indexing.exclusions = []
    indexing.evidenceIndexBudget = budgetBytes
    do {
      return .success(try Detection.run(indexing).evidenceIndex ?? EvidenceIndex())
    } catch {
      return .failure(.failed(error.description))
    }
  }
}
