/// What a detection run reads and how.
public struct DetectionOptions: Sendable {
  public var paths: [String]
  /// An ASN database (`.mmdb` or ip2asn `.tsv`); nil means "find one" (see `EnrichmentDatabaseLocator`).
  public var asnDatabasePath: String?
  public var geoDatabasePath: String?
  /// Epoch milliseconds: no execution before `since` produces alerts (earlier events still build
  /// rule B's history); none after `until` runs.
  public var since: Int64?
  public var until: Int64?
  public var rules: [DetectionRule] = BuiltinRules.all
  /// The environment used to find databases (injected so tests are deterministic).
  public var environment: [String: String]?
  /// Directories searched last for databases (geoipupdate's defaults unless set).
  public var standardDatabaseDirectories: [String]?
  /// Exclusions (from the state file and `--exclusions`): matching events are suppressed.
  public var exclusions: [Exclusion] = []
  /// "Now" for exclusion expiry (epoch ms); the wall clock when nil.
  public var now: Int64?
  /// NDJSON files at least this large are scanned by several workers in newline-aligned ranges.
  /// Low enough that a lone export of tens of MB uses every core (a 47 MB file of Lambda records:
  /// 247 ms on one core, 168 ms on two); below it start-up dominates and ranges gain nothing.
  public var parallelChunkBytes: Int64 = 4 << 20
  /// Worker threads; one per core when nil.
  public var workers: Int?
  /// How many bad records the summary lists in full.
  public var maxListedIssues = 10
  /// At most this many bytes of matching records from streamed gzip files are kept for the
  /// alerts, and an eighth of it more from gzip objects inflated whole; beyond it they are read
  /// again.
  public var keptRecordBytes = 128 << 20
  /// Gzip files up to this size are decompressed whole, larger ones streamed.
  public var wholeGzipLimit = WholeGzipByteSource.maxCompressedBytes
  /// Build an evidence index of at most this many bytes while detecting (nil: none).
  public var evidenceIndexBudget: Int?
  /// Map raw records only as far as the rules, exclusions and bookkeeping read while scanning
  /// (alerts are mapped in full when built). Off maps everything, to compare.
  public var projectMapping = true
  /// With projectMapping, build the documents of plain records whose rules read only a few
  /// scalars straight from their bytes (ScalarRecordReader). Off parses and maps them, to compare.
  public var readScalars = true

  public init(paths: [String]) { self.paths = paths }
}

/// A snapshot of a running detection, for a progress view.
public struct DetectionProgress: Sendable {
  public var filesDone: Int
  public var filesTotal: Int
  public var records: Int
  public var bytes: Int64
  /// Events that matched a rule's query so far. Not alerts: rule B's matches become alerts only
  /// when their terms prove new against the whole history, at the end of the scan.
  public var matches: Int
  public var elapsedSeconds: Double
}

/// The result of a run: alerts sorted by event time then id, and what happened on the way.
public struct DetectionReport: Sendable {
  public var alerts: [Alert]
  /// Alerts that exclusions suppressed, each marked with `lambda_triage.excluded_by`.
  public var suppressed: [Alert] = []
  public var summary: DetectionSummary
  /// Built when the options asked for it.
  public var evidenceIndex: EvidenceIndex?
  /// The alerts the run could have produced (for marking earlier ones no longer produced).
  public var coverage = RunCoverage.everything
}

/// Why a run could not start or had to stop.
public enum DetectionError: Error, Sendable, CustomStringConvertible {
  case input(InputError)
  case database(String)
  case query(rule: String, QueryError)
  case cancelled

  public var description: String {
    switch self {
    case .input(let error): return error.description
    case .database(let message): return message
    case .query(let rule, let error): return "rule \"\(rule)\": \(error)"
    case .cancelled: return "cancelled"
    }
  }
}
