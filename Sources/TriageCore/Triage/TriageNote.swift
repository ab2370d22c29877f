/// A timestamped entry in an alert's notes. Entries are only ever appended, so the notes read as a
/// log of the investigation.
public struct TriageNote: Sendable, Equatable {
  public var author: String
  /// ISO 8601 with milliseconds, UTC.
  public var createdAt: String
  public var text: String

  public init(author: String, createdAt: String, text: String) {
    self.author = author
    self.createdAt = createdAt
    self.text = text
  }
}
