/// A value shown whole (`y`): its text wrapped once for the screen's width, when shown and on a
/// resize, so a scroll key on a large value (a 1 MB parameter) does not wrap it all again.
public struct ValueView: Sendable, Equatable {
  public let title: String
  public let text: String
  /// The first line shown.
  public var offset = 0
  public private(set) var lines: [DisplayText] = []
  private(set) var areaWidth = -1

  public init(title: String, text: String, areaWidth: Int) {
    self.title = title
    self.text = text
    wrap(for: areaWidth)
  }

  /// The box is 8 columns narrower than the area (20 at least), its text 4 narrower than the box.
  static func boxWidth(forArea width: Int) -> Int { max(20, width - 8) }
  static func textWidth(forArea width: Int) -> Int { boxWidth(forArea: width) - 4 }

  mutating func wrap(for width: Int) {
    guard width != areaWidth else { return }
    areaWidth = width
    lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      .flatMap { DisplayText(untrusted: String($0)).wordWrapped(toWidth: Self.textWidth(forArea: width)) }
  }

  /// Moves by `step` lines, kept within the text for `rows` rows shown.
  mutating func scroll(by step: Int, rows: Int) {
    offset = min(max(0, offset + step), max(0, lines.count - rows))
  }
}
