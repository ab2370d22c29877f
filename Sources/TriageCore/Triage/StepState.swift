/// Where the analyst stands on one investigation-guide step.
public enum StepStatus: String, Sendable, Equatable, CaseIterable {
  case open
  case done
  case notApplicable = "not_applicable"

  /// A step that needs no more work counts towards the progress shown in the alert list.
  public var isSettled: Bool { self != .open }
}

/// One guide step's state for one alert: its status and the analyst's note about it.
public struct StepState: Sendable, Equatable {
  public var status: StepStatus
  public var note: String

  public init(status: StepStatus = .open, note: String = "") {
    self.status = status
    self.note = note
  }

  /// True when there is nothing worth writing to the state file.
  public var isPristine: Bool { status == .open && note.isEmpty }
}
