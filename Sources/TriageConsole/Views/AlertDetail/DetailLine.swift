/// One line of the alert detail: a section title, a labelled value (possibly nested in a tree), or
/// free text. Values are raw log text; the view sanitises them when it draws.
public struct DetailLine: Sendable, Equatable {
  public enum Kind: Sendable, Equatable { case section, field, text, blank }

  public var kind: Kind
  public var label: String
  public var value: String
  public var indent: Int
  /// What `y` copies and shows, when it is more than the line (a note's line: the whole note).
  public var whole: String? = nil
  /// Cut from the left when too long, keeping the end (a path's file name and `#record N`).
  public var keepsEnd = false

  public static func section(_ title: String) -> DetailLine { DetailLine(kind: .section, label: title, value: "", indent: 0) }
  public static func field(_ label: String, _ value: String, indent: Int = 0) -> DetailLine {
    DetailLine(kind: .field, label: label, value: value, indent: indent)
  }
  public static func text(_ value: String, indent: Int = 0) -> DetailLine { DetailLine(kind: .text, label: "", value: value, indent: indent) }
  public static let blank = DetailLine(kind: .blank, label: "", value: "", indent: 0)

  /// What `y` copies from this line.
  public var copyText: String? {
    if let whole { return whole }
    switch kind {
    case .field, .text: return value.isEmpty ? nil : value
    case .section, .blank: return nil
    }
  }
}
