/// Everything the analyst decided or wrote about one alert.
public struct AlertTriage: Sendable, Equatable {
  public var status: AlertStatus
  /// Set only while the alert is closed.
  public var reason: CloseReason?
  /// Step states by `GuideStep.key`; steps never touched are absent.
  public var steps: [String: StepState]
  public var notes: [TriageNote]
  /// True when a later detection run over the same state file no longer produced the alert; it is
  /// kept (with everything written about it) rather than dropped.
  public var isGone: Bool
  /// When the analyst last changed anything (ISO 8601), nil if never.
  public var updatedAt: String?
  /// Editor text the analyst had not saved when the console was hung up or terminated, keyed by
  /// what it was for (`note`, or a step key). The editor offers it again on the next open.
  public var drafts: [String: String]

  public init(
    status: AlertStatus = .open, reason: CloseReason? = nil, steps: [String: StepState] = [:],
    notes: [TriageNote] = [], isGone: Bool = false, updatedAt: String? = nil,
    drafts: [String: String] = [:]
  ) {
    self.status = status
    self.reason = reason
    self.steps = steps
    self.notes = notes
    self.isGone = isGone
    self.updatedAt = updatedAt
    self.drafts = drafts
  }

  public func step(_ key: String) -> StepState { steps[key] ?? StepState() }

  /// Settled (done or not applicable) steps out of the guide's steps; keys the guide no longer has
  /// are not counted, so a reworded guide cannot show 6/5.
  public func progress(of guide: InvestigationGuide) -> (settled: Int, total: Int) {
    let settled = guide.steps.filter { step($0.key).status.isSettled }.count
    return (settled, guide.steps.count)
  }
}
