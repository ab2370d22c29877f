/// A triage session: the alerts under review and the analyst's state for each, plus the
/// exclusions they wrote. It is what the state file holds, so a session reopens without the logs.
public struct TriageSession: Sendable, Equatable {
  /// The schema this build writes; files with a higher number are refused, never rewritten.
  public static let schemaVersion = 1

  /// Alerts in first-seen order (detection order, then later additions at the end).
  public private(set) var alerts: [Alert]
  /// Analyst state by alert uuid. An alert without an entry is open and untouched.
  public private(set) var triage: [String: AlertTriage]
  public var exclusions: [Exclusion]
  /// The inputs detection last ran on, for the status bar and for reruns.
  public var inputs: [String]
  private var indexByUUID: [String: Int]

  public init(
    alerts: [Alert] = [], triage: [String: AlertTriage] = [:], exclusions: [Exclusion] = [],
    inputs: [String] = []
  ) {
    self.triage = triage
    self.exclusions = exclusions
    self.inputs = inputs
    var index: [String: Int] = [:]
    index.reserveCapacity(alerts.count)
    // Usually every uuid is new: one hash per alert, and the caller's array is kept as it is
    // (no copy). A repeated uuid keeps its first alert. Read through the buffer: copying each
    // alert out to read its uuid cost more than the hashing at 100k alerts.
    let unique = alerts.withUnsafeBufferPointer { buffer in
      buffer.indices.allSatisfy { index.updateValue($0, forKey: buffer[$0].uuid) == nil }
    }
    if unique {
      self.alerts = alerts
      self.indexByUUID = index
      return
    }
    index.removeAll(keepingCapacity: true)
    var kept: [Alert] = []
    kept.reserveCapacity(alerts.count)
    for alert in alerts where index[alert.uuid] == nil {
      index[alert.uuid] = kept.count
      kept.append(alert)
    }
    self.alerts = kept
    self.indexByUUID = index
  }

  public static func == (lhs: TriageSession, rhs: TriageSession) -> Bool {
    lhs.alerts == rhs.alerts && lhs.triage == rhs.triage && lhs.exclusions == rhs.exclusions
      && lhs.inputs == rhs.inputs
  }

  public func alert(uuid: String) -> Alert? { indexByUUID[uuid].map { alerts[$0] } }
  public func index(of uuid: String) -> Int? { indexByUUID[uuid] }
  public func state(of uuid: String) -> AlertTriage { triage[uuid] ?? AlertTriage() }

  /// What a merge changed, for the status bar.
  public struct MergeOutcome: Sendable, Equatable {
    public var added: Int
    public var kept: Int
    public var gone: Int
  }

  /// Folds a new detection run in. Alert ids are stable across runs, so a known uuid keeps all its
  /// state (and takes the fresh document, which may carry newer enrichment); unknown ones are
  /// appended; alerts the run covered but no longer produced stay, marked as gone, so no note is
  /// lost. Alerts outside the run's coverage keep their mark as it was.
  @discardableResult
  public mutating func merge(detected: [Alert], coverage: RunCoverage = .everything) -> MergeOutcome {
    var seen = Set<String>()
    var outcome = MergeOutcome(added: 0, kept: 0, gone: 0)
    for alert in detected where seen.insert(alert.uuid).inserted {
      if let index = indexByUUID[alert.uuid] {
        alerts[index] = alert
        outcome.kept += 1
        if triage[alert.uuid]?.isGone == true { triage[alert.uuid]?.isGone = false }
      } else {
        indexByUUID[alert.uuid] = alerts.count
        alerts.append(alert)
        outcome.added += 1
      }
    }
    for alert in alerts where !seen.contains(alert.uuid) && coverage.covers(alert) {
      var state = self.state(of: alert.uuid)
      state.isGone = true
      triage[alert.uuid] = state
      outcome.gone += 1
    }
    return outcome
  }

  /// Sets the status of each alert. A reason is kept only with `.closed` (Kibana clears it on
  /// reopen), so reopening then closing again asks afresh.
  public mutating func setStatus(
    _ status: AlertStatus, reason: CloseReason?, for uuids: some Sequence<String>, at now: String
  ) {
    for uuid in uuids where indexByUUID[uuid] != nil {
      var state = self.state(of: uuid)
      state.status = status
      state.reason = status == .closed ? (reason ?? .other) : nil
      state.updatedAt = now
      triage[uuid] = state
    }
  }

  public mutating func setStepStatus(_ status: StepStatus, step key: String, for uuid: String, at now: String) {
    update(uuid, at: now) { state in
      var step = state.step(key)
      step.status = status
      state.steps[key] = step.isPristine ? nil : step
    }
  }

  public mutating func setStepNote(_ note: String, step key: String, for uuid: String, at now: String) {
    update(uuid, at: now) { state in
      var step = state.step(key)
      step.note = note
      state.steps[key] = step.isPristine ? nil : step
      state.drafts[key] = nil
    }
  }

  /// Appends a note entry; blank text is ignored so an accidental save adds nothing.
  public mutating func addNote(_ text: String, author: String, for uuid: String, at now: String) {
    guard !text.allSatisfy(\.isWhitespace) else { return }
    update(uuid, at: now) { state in
      state.notes.append(TriageNote(author: author, createdAt: now, text: text))
      state.drafts["note"] = nil
    }
  }

  /// Keeps unsaved editor text (on hang-up or termination); nil removes it.
  public mutating func setDraft(_ text: String?, key: String, for uuid: String) {
    guard indexByUUID[uuid] != nil else { return }
    var state = self.state(of: uuid)
    state.drafts[key] = text
    triage[uuid] = state
  }

  /// Replaces the analyst state of one alert wholesale (used by the state-file decoder).
  public mutating func restore(_ state: AlertTriage, for uuid: String) {
    guard indexByUUID[uuid] != nil else { return }
    triage[uuid] = state
  }

  private mutating func update(_ uuid: String, at now: String, _ change: (inout AlertTriage) -> Void) {
    guard indexByUUID[uuid] != nil else { return }
    var state = self.state(of: uuid)
    change(&state)
    state.updatedAt = now
    triage[uuid] = state
  }
}
