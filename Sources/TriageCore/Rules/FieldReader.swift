/// Reads an event's fields by path, as the evaluator and the new-terms bookkeeping see them: a
/// mapped ECS document, or the few scalars ScalarRecordReader took from a record's bytes (which
/// answer without a document being built).
protocol FieldReader {
  func value(at field: FieldPath) -> JSONValue?
}

/// A dotted field path, with where a `ScalarEvent` keeps it worked out once (when a query is
/// compiled), not per event.
struct FieldPath: Sendable, Hashable {
  let path: String
  /// `ScalarEvent.Slot` of the path; nil for a path it does not hold.
  let scalarSlot: ScalarEvent.Slot?

  init(_ path: String) {
    self.path = path
    scalarSlot = ScalarEvent.Slot(path: path)
  }
}

extension JSONObject: FieldReader {
  func value(at field: FieldPath) -> JSONValue? { self[path: field.path] }
}
