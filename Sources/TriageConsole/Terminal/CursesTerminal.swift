import CNcurses
import Foundation

/// The live terminal through ncursesw: starts and ends curses, reads keys (with a timeout so the
/// run loop can notice signals and progress), and draws frames as a `Screen`.
public final class CursesTerminal {
  /// A decoded input event.
  public enum Event: Equatable {
    case key(Key)
    case resize(Size)
  }

  private let colors: RoleColors

  /// Starts curses on the controlling terminal. The caller checks first that there is one.
  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    _ = lt_use_utf8_locale()
    // A short Esc delay: Esc is the "back" key and must feel instant.
    setenv("ESCDELAY", "25", 0)
    initscr()
    raw()
    noecho()
    nonl()
    keypad(lt_stdscr(), true)
    lt_enable_wheel()
    colors = RoleColors(useColor: has_colors() && environment["NO_COLOR"].map(\.isEmpty) ?? true)
  }

  /// Restores the terminal; safe to call twice.
  public func stop() {
    if isendwin() == false { endwin() }
  }

  public var size: Size { Size(rows: Int(lt_lines()), cols: Int(lt_cols())) }

  private var afterCarriageReturn = false

  /// The next event, or nil when `timeoutMilliseconds` pass without one.
  public func read(timeoutMilliseconds: Int32) -> Event? {
    wtimeout(lt_stdscr(), timeoutMilliseconds)
    var code: UInt32 = 0
    switch lt_get_key(&code) {
    case 1:
      afterCarriageReturn = false
      return functionKey(Int32(code))
    case 0:
      // Text pasted from Windows ends its lines with CR LF: one line break, not two.
      let pastedLineFeed = afterCarriageReturn && code == 0x0A
      afterCarriageReturn = code == 0x0D
      return pastedLineFeed ? nil : character(code)
    default: return nil
    }
  }

  private func functionKey(_ code: Int32) -> Event? {
    switch code {
    case lt_key_resize(): return .resize(size)
    case lt_key_mouse():
      switch lt_mouse_wheel() {
      case -1: return .key(.wheelUp)
      case 1: return .key(.wheelDown)
      default: return nil
      }
    case KEY_UP: return .key(.up)
    case KEY_DOWN: return .key(.down)
    case KEY_LEFT: return .key(.left)
    case KEY_RIGHT: return .key(.right)
    case KEY_HOME, KEY_A1: return .key(.home)
    case KEY_END, KEY_C1: return .key(.end)
    case KEY_NPAGE, KEY_C3: return .key(.pageDown)
    case KEY_PPAGE, KEY_A3: return .key(.pageUp)
    case KEY_BACKSPACE: return .key(.backspace)
    case KEY_DC: return .key(.delete)
    case KEY_BTAB: return .key(.backTab)
    case KEY_ENTER: return .key(.enter)
    default: return nil
    }
  }

  private func character(_ code: UInt32) -> Event? {
    switch code {
    case 0x0A, 0x0D: return .key(.enter)
    case 0x1B: return .key(.escape)
    case 0x7F, 0x08: return .key(.backspace)
    case 0x09: return .key(.tab)
    case 0x01...0x1A: return .key(.ctrl(Character(Unicode.Scalar(code + 0x60)!)))
    default:
      guard let scalar = Unicode.Scalar(code), code >= 0x20 else { return nil }
      return .key(.char(Character(scalar)))
    }
  }

  /// Puts text on the system clipboard through the terminal (OSC 52), which works over SSH and in
  /// tmux with `set-clipboard on`. The payload is base64, so nothing in it reaches the terminal raw.
  public func copyToClipboard(_ text: String) {
    let payload = Data(text.utf8).base64EncodedString()
    FileHandle.standardOutput.write(Data("\u{1B}]52;c;\(payload)\u{07}".utf8))
  }

  /// Forces a full repaint on the next flush (Ctrl-L).
  public func invalidate() { clearok(lt_stdscr(), true) }

  /// A `Screen` drawing on this terminal.
  public func screen() -> CursesScreen { CursesScreen(size: size, colors: colors) }
}

/// Draws into curses' virtual screen; `flush` sends only what changed.
public struct CursesScreen: Screen {
  public let size: Size
  let colors: RoleColors

  public mutating func clear() { werase(lt_stdscr()) }

  public mutating func put(_ text: DisplayText, row: Int, col: Int, role: Role) {
    guard row >= 0, row < size.rows, col >= 0, col < size.cols else { return }
    let room = size.cols - col
    let shown = text.width <= room ? text.text : Self.clip(text.text, to: room)
    _ = lt_attrset(colors.attributes(for: role))
    // The bottom-right cell cannot be written without scrolling; curses reports it as an error
    // after drawing, which is harmless here.
    _ = mvwaddstr(lt_stdscr(), Int32(row), Int32(col), shown)
    _ = lt_attrset(0)
  }

  /// Where the cursor goes when the frame is sent. Moved there only in `flush`: curses leaves the
  /// terminal's cursor after the last cell drawn, so a move made while drawing (the editor, before
  /// the status bar) would end up at the end of the status bar.
  var cursor: (row: Int32, col: Int32)? = nil

  public mutating func setCursor(row: Int, col: Int) {
    cursor = (Int32(row), Int32(col))
  }

  public mutating func hideCursor() {
    cursor = nil
  }

  public mutating func flush() {
    if let cursor {
      curs_set(1)
      wmove(lt_stdscr(), cursor.row, cursor.col)
    } else {
      curs_set(0)
    }
    wrefresh(lt_stdscr())
  }

  /// The longest prefix that fits `columns`, never splitting a wide glyph.
  static func clip(_ text: String, to columns: Int) -> String {
    var out = ""
    var used = 0
    for character in text {
      let w = DisplayWidth.of(character)
      if used + w > columns { break }
      out.append(character)
      used += w
    }
    return out
  }
}

/// Roles as curses attributes: colour pairs where the terminal has colours and NO_COLOR is unset,
/// else bold/reverse/dim/underline only.
struct RoleColors {
  private var table: [Role: Int32] = [:]

  init(useColor: Bool) {
    let bold = lt_a_bold(), reverse = lt_a_reverse(), dim = lt_a_dim(), underline = lt_a_underline()
    let mono: [Role: Int32] = [
      .normal: 0, .header: reverse, .title: bold, .label: dim, .selected: reverse, .marked: bold,
      .dim: dim, .hint: dim, .match: underline, .escaped: underline, .error: reverse | bold,
      .severityCritical: bold | underline, .severityHigh: bold, .severityMedium: 0, .severityLow: dim,
      .statusOpen: bold, .statusAcknowledged: 0, .statusClosed: dim,
    ]
    guard useColor else {
      table = mono
      return
    }
    start_color()
    use_default_colors()
    let pairs: [(Role, Int16, Int16, Int32)] = [
      (.header, Int16(COLOR_BLACK), Int16(COLOR_CYAN), 0),
      (.title, Int16(COLOR_CYAN), -1, bold),
      (.label, Int16(COLOR_BLUE), -1, bold),
      (.selected, Int16(COLOR_BLACK), Int16(COLOR_YELLOW), 0),
      (.marked, Int16(COLOR_YELLOW), -1, bold),
      (.match, Int16(COLOR_YELLOW), -1, underline),
      (.escaped, Int16(COLOR_MAGENTA), -1, 0),
      (.error, Int16(COLOR_WHITE), Int16(COLOR_RED), bold),
      (.severityCritical, Int16(COLOR_MAGENTA), -1, bold),
      (.severityHigh, Int16(COLOR_RED), -1, bold),
      (.severityMedium, Int16(COLOR_YELLOW), -1, 0),
      (.severityLow, Int16(COLOR_GREEN), -1, 0),
      (.statusOpen, Int16(COLOR_RED), -1, 0),
      (.statusAcknowledged, Int16(COLOR_YELLOW), -1, 0),
      (.statusClosed, Int16(COLOR_GREEN), -1, 0),
    ]
    table = mono
    for (index, entry) in pairs.enumerated() {
      let pair = Int16(index + 1)
      init_pair(pair, entry.1, entry.2)
      table[entry.0] = lt_color_pair(Int32(pair)) | entry.3
    }
    table[.dim] = dim
    table[.hint] = dim
  }

  func attributes(for role: Role) -> Int32 { table[role] ?? 0 }
}
