/// Where a binding applies. Dispatch looks in the current scope first, then in `.global` (except
/// in scopes where keys are text, so typing `q` in a note never quits).
public enum Scope: String, Sendable, Equatable, CaseIterable {
  case global
  case alertList
  case alertDetail
  case rawEvent
  case guide
  case noteEditor
  case picker
  case help
  case exclusionList
  case exclusionForm
  case events
  case relatedEvent
  case valueView

  public var title: String {
    switch self {
    case .global: return "Everywhere"
    case .alertList: return "Alert list"
    case .alertDetail: return "Alert detail"
    case .rawEvent: return "Raw event"
    case .guide: return "Investigation guide"
    case .noteEditor: return "Note editor"
    case .picker: return "Pickers (reason, filter)"
    case .help: return "Help"
    case .exclusionList: return "Exclusions (X)"
    case .exclusionForm: return "Writing an exclusion (x)"
    case .events: return "Events behind the evidence (E)"
    case .relatedEvent: return "One of those events (Enter)"
    case .valueView: return "A value shown whole (y)"
    }
  }

  /// Scopes in which unbound keys are text, not commands.
  var takesText: Bool { self == .noteEditor || self == .exclusionForm }
  var fallsBackToGlobal: Bool { self != .noteEditor && self != .picker && self != .exclusionForm && self != .valueView }
}

/// One row of the keymap: keys, the action, where, and the help text. Help and the status-bar
/// hints are generated from these rows, so they cannot drift from what the keys do.
public struct KeyBinding: Sendable, Equatable {
  public enum Visibility: Sendable, Equatable { case hint, help, hidden }

  /// The first key is the one help shows first.
  public let keys: [Key]
  public let action: Action
  public let scope: Scope
  public let help: String
  public let visibility: Visibility

  public init(_ keys: [Key], _ action: Action, _ scope: Scope, _ help: String, _ visibility: Visibility = .help) {
    self.keys = keys
    self.action = action
    self.scope = scope
    self.help = help
    self.visibility = visibility
  }

  public var keyLabel: String { keys.map(\.description).joined(separator: " ") }
}
