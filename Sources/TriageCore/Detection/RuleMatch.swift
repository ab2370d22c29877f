/// A source event that satisfied a rule's query: all the scheduler needs to decide whether it
/// becomes an alert, without keeping the event itself in memory.
struct RuleMatch: Sendable {
  /// Milliseconds: `event.ingested` when the document has it (the rules' timestamp override),
  /// otherwise `@timestamp`.
  let time: Int64
  /// Input order, for deterministic tie-breaking.
  let sequence: Int
  let location: RecordLocation
  /// CloudTrail `eventID` (`event.id`), or the record's position when it has none.
  let eventKey: String
  /// The new-terms combination (index into the rule's term table); -1 for EQL rules.
  let term: Int32
  /// The record's bytes, kept only when the input cannot be read again (stdin).
  let retained: [UInt8]?
  /// The exclusion that suppresses this event for the rule, if any.
  let excludedBy: String?
}

/// One alert chosen by the scheduler: which match, at which execution, with what history.
struct AlertPick: Sendable {
  let match: Int
  let executionTime: Int64
  /// Start of the history actually available for this alert (new-terms rules only).
  let historyStart: Int64?
}
