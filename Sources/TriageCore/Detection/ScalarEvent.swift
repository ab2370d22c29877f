/// An event ScalarRecordReader read: its fields' values and what enrichment found for its source
/// address, answering the rules' field reads without its document being built. Detection reads
/// half a dozen fields of each Invoke event; building the nested document and writing the ASN into
/// it cost more than everything else done with the event. Anything that needs the document (an
/// exception, a field it does not hold) gets it, built exactly as before.
struct ScalarEvent: FieldReader {
  /// Where a field path is kept.
  enum Slot: Sendable, Hashable {
    case field(ScalarRecordReader.Field)
    case organization
    /// `event.ingested`: set by ingest, never by the mapping of a raw record.
    case ingested

    init?(path: String) {
      if let field = ScalarRecordReader.Field.allCases.first(where: { $0.path == path }) {
        self = .field(field)
      } else if path == "source.as.organization.name" {
        self = .organization
      } else if path == "event.ingested" {
        self = .ingested
      } else {
        return nil
      }
    }
  }

  /// By `ScalarRecordReader.Field`; nil where the document has no value.
  let values: [JSONValue?]
  private let enrichment: Enrichment?

  /// `lookup`: enrichment's answer for `source.ip`; nil when nothing was looked up.
  init(values: [JSONValue?], lookup: SourceEnricher.Lookup?) {
    self.values = values
    enrichment = lookup.map(Enrichment.init)
  }

  /// Enrichment's answer, boxed: an event is handed from rule test to rule test, and the answer
  /// inline (two databases' worth of strings) made every hand-over a copy of some 200 bytes and a
  /// dozen retains.
  private final class Enrichment: Sendable {
    let lookup: SourceEnricher.Lookup
    let organization: JSONValue?

    init(_ lookup: SourceEnricher.Lookup) {
      self.lookup = lookup
      organization = lookup.asn?.organization.map { .string($0) }
    }
  }

  func value(at field: FieldPath) -> JSONValue? {
    switch field.scalarSlot {
    case .field(let f): return values[f.rawValue]
    case .organization: return enrichment?.organization
    case .ingested: return nil
    case nil: return document[path: field.path]
    }
  }

  /// The enriched document, as the mapper and `SourceEnricher.enrich` would have made it.
  var document: JSONObject {
    var document = ScalarRecordReader.document(values)
    enrichment?.lookup.apply(to: &document)
    return document
  }
}

/// The fields of an event handed to the rules.
enum EventFields: FieldReader {
  case document(JSONObject)
  case scalars(ScalarEvent)

  func value(at field: FieldPath) -> JSONValue? {
    switch self {
    case .document(let document): return document.value(at: field)
    case .scalars(let event): return event.value(at: field)
    }
  }

  var document: JSONObject {
    switch self {
    case .document(let document): return document
    case .scalars(let event): return event.document
    }
  }
}
