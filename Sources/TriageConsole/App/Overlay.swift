import TriageCore

/// A mode on top of the current screen that takes the keyboard: a search prompt, a picker, the
/// note editor, or a value shown whole.
public enum Overlay: Sendable, Equatable {
  /// `/` being typed; `origin` is the selection to go back to on Esc.
  case search(query: String, origin: Int)
  case picker(PickerState)
  case editor(NoteEditorState)
  /// A value shown whole (`y`).
  case value(ValueView)
  case exclusion(ExclusionFormState)
}

/// A list of choices (close reasons, filter constraints).
public struct PickerState: Sendable, Equatable {
  public enum Choice: Sendable, Equatable {
    case reason(CloseReason)
    case status(AlertStatus?)
    case rule(id: String?, name: String)
    case severity(String?)
    /// Show (true) or hide the alerts exclusions match.
    case excluded(Bool)
  }

  public enum Purpose: Sendable, Equatable {
    /// Closing these alerts.
    case close(uuids: [String])
    case filter
  }

  public var purpose: Purpose
  public var title: String
  public var choices: [Choice]
  public var scroll = ScrollState()

  public init(purpose: Purpose, title: String, choices: [Choice]) {
    self.purpose = purpose
    self.title = title
    self.choices = choices
  }
}
