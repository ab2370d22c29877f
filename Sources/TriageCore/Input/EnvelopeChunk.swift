/// One piece of a large `{"Records":[...]}` file cut at guessed record boundaries, so that the
/// pieces can be read on several cores. The cuts are guesses because a record's end can only be
/// known by reading everything before it; each is confirmed when the piece before it ends
/// exactly between two records (`RecordSplitter.boundaryHeld`).
public enum EnvelopeChunk: Sendable, Equatable {
  /// From the start of the file: the envelope's opening, then records up to the first cut.
  case first
  /// From a cut, at a record's opening brace, to the next cut.
  case middle
  /// From the last cut to the end of the file.
  case last
}
