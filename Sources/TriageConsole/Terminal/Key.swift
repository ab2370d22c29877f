/// A key press, decoded from curses.
public enum Key: Sendable, Equatable, Hashable, CustomStringConvertible {
  case char(Character)
  case ctrl(Character)
  case up, down, left, right
  case home, end, pageUp, pageDown
  case enter, escape, backspace, delete, tab, backTab
  case wheelUp, wheelDown

  /// How help shows the key.
  public var description: String {
    switch self {
    case .char(" "): return "space"
    case .char(let c): return String(c)
    case .ctrl(let c): return "Ctrl-\(c.uppercased())"
    case .up: return "↑"
    case .down: return "↓"
    case .left: return "←"
    case .right: return "→"
    case .home: return "Home"
    case .end: return "End"
    case .pageUp: return "PgUp"
    case .pageDown: return "PgDn"
    case .enter: return "Enter"
    case .escape: return "Esc"
    case .backspace: return "Backspace"
    case .delete: return "Del"
    case .tab: return "Tab"
    case .backTab: return "Shift-Tab"
    case .wheelUp: return "wheel up"
    case .wheelDown: return "wheel down"
    }
  }
}
