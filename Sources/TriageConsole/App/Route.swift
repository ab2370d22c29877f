/// A screen on the navigation stack; the list is always at the bottom, Esc pops.
public enum Route: Sendable, Equatable {
  case list
  case detail(uuid: String)
  case raw(uuid: String)
  case guide(uuid: String)
  case help
  case exclusions

  /// The alert a screen is about, if any.
  public var uuid: String? {
    switch self {
    case .list, .help, .exclusions: return nil
    case .detail(let uuid), .raw(let uuid), .guide(let uuid): return uuid
    }
  }
}
