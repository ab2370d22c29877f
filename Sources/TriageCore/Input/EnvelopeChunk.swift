/// One piece of a large `{"Records":[...]}` file (or a JSON array of records) cut at guessed
/// record boundaries, so that the pieces can be read on several cores. The cuts are guesses
/// because a record's end can only be known by reading everything before it; each is confirmed
/// when the piece before it ends exactly between two records (`RecordSplitter.boundaryHeld`).
public struct EnvelopeChunk: Sendable, Equatable {
  public enum Part: Sendable, Equatable {
    /// From the start of the file: the container's opening, then records up to the first cut.
    case first
    /// From a cut, at a record's opening brace, to the next cut.
    case middle
    /// From the last cut to the end of the file.
    case last
  }

  public enum Container: Sendable, Equatable {
    /// CloudTrail's `{"Records":[...]}`.
    case records
    /// A top-level JSON array of records.
    case array
  }

  public var part: Part
  public var container: Container

  public init(_ part: Part, in container: Container) {
    self.part = part
    self.container = container
  }

  /// Another piece follows this one.
  var isFollowed: Bool { part != .last }
}
