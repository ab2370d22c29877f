/// Which alerts a detection run could have produced: those executed inside its `--since` /
/// `--until` window, for events inside the time span of the logs it read. An earlier alert the run
/// did not produce is "no longer produced" only when the run covered it; one outside (a narrower
/// window, logs of other days) was simply not looked at again.
public struct RunCoverage: Sendable, Equatable {
  public var since: Int64?
  public var until: Int64?
  /// The event time span of the records read; nil when the run read none.
  public var events: ClosedRange<Int64>?

  public init(since: Int64? = nil, until: Int64? = nil, events: ClosedRange<Int64>?) {
    self.since = since
    self.until = until
    self.events = events
  }

  /// A run that reads every log ever written, with no window.
  public static let everything = RunCoverage(events: Int64.min...Int64.max)

  public func covers(_ alert: Alert) -> Bool {
    guard let events else { return false }
    // Times that cannot be read are taken as covered: the run is then the only word on them.
    if let executed = alert.string("@timestamp").flatMap(Timestamp.parseMillis) {
      if let since, executed < since { return false }
      if let until, executed > until { return false }
    }
    if let original = Timestamp.parseMillis(alert.originalTime), !events.contains(original) { return false }
    return true
  }
}
