/// A screen on the navigation stack; the list is always at the bottom, Esc pops.
public enum Route: Sendable, Equatable {
  case list
  case detail(uuid: String)
  case raw(uuid: String)
  case guide(uuid: String)
  case help
  case exclusions
  /// The events behind a guide step's evidence (one line's when `line` is set), and one of them.
  case events(uuid: String, step: String, line: Int?)
  case event(uuid: String, index: Int)

  /// The alert a screen is about, if any.
  public var uuid: String? {
    switch self {
    case .list, .help, .exclusions: return nil
    case .detail(let uuid), .raw(let uuid), .guide(let uuid), .events(let uuid, _, _), .event(let uuid, _): return uuid
    }
  }
}
