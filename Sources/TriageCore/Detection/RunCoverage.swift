/// Which alerts a detection run could have produced: those executed inside its `--since` /
/// `--until` window. An earlier alert the run did not produce is "no longer produced" only when
/// the run covered it; one outside a narrower window was simply not looked at again. A run that
/// read no records covers nothing. (A rerun on other logs does cover the session's alerts: the
/// session now stands for those logs, and an alert whose logs were not read says so.)
public struct RunCoverage: Sendable, Equatable {
  public var since: Int64?
  public var until: Int64?
  public var readRecords: Bool

  public init(since: Int64? = nil, until: Int64? = nil, readRecords: Bool) {
    self.since = since
    self.until = until
    self.readRecords = readRecords
  }

  /// A run with no window that read records.
  public static let everything = RunCoverage(readRecords: true)

  public func covers(_ alert: Alert) -> Bool {
    guard readRecords else { return false }
    // An execution time that cannot be read is taken as covered: the run is the only word on it.
    guard let executed = alert.string("@timestamp").flatMap(Timestamp.parseMillis) else { return true }
    if let since, executed < since { return false }
    if let until, executed > until { return false }
    return true
  }
}
