/// Replays Kibana's scheduled executions over a finite, time-sorted set of matches.
///
/// Executions run at every 5-minute boundary of epoch time between the earliest and the latest
/// loaded event; each looks back 6 minutes, so consecutive windows overlap by one minute and an
/// event can be seen twice. An alert id already produced is not produced again.
struct ScheduleEmulator {
  let rule: DetectionRule
  /// Sorted by (time, sequence).
  let matches: [RuleMatch]
  let earliestEvent: Int64
  let latestEvent: Int64
  let since: Int64?
  let until: Int64?

  private var intervalMillis: Int64 { Int64(rule.intervalSeconds) * 1000 }
  private var lookBackMillis: Int64 { Int64(rule.lookBackSeconds) * 1000 }

  struct Outcome {
    var picks: [AlertPick] = []
    /// Matches that were cut by the per-execution cap and never alerted later.
    var dropped = 0
  }

  private func ceilToInterval(_ t: Int64) -> Int64 {
    let r = ((t % intervalMillis) + intervalMillis) % intervalMillis
    return r == 0 ? t : t - r + intervalMillis
  }

  /// The execution times whose window contains at least one match, in ascending order.
  func executionTimes() -> [Int64] {
    let first = ceilToInterval(earliestEvent)
    let last = ceilToInterval(latestEvent)
    var times: [Int64] = []
    for match in matches {
      var t = ceilToInterval(match.time)
      while t - lookBackMillis <= match.time {
        if t >= first && t <= last && (since.map { t >= $0 } ?? true) && (until.map { t <= $0 } ?? true) {
          if times.last != t { times.append(t) }
        }
        t += intervalMillis
      }
    }
    return Array(Set(times)).sorted()
  }

  /// Index of the first match with time >= `t`.
  private func lowerBound(_ t: Int64) -> Int {
    var low = 0, high = matches.count
    while low < high {
      let mid = (low + high) / 2
      if matches[mid].time < t { low = mid + 1 } else { high = mid }
    }
    return low
  }

  private func window(at t: Int64) -> Range<Int> {
    lowerBound(t - lookBackMillis)..<lowerBound(t + 1)
  }

  private func alertKey(_ match: RuleMatch) -> String { "\(match.eventKey)\u{1F}\(match.term)" }

  /// EQL: each execution takes the most recent `maxAlertsPerExecution` matches in its window
  /// (`result_position: tail`), then drops those already alerted, without refilling.
  func selectEQL() -> Outcome {
    var outcome = Outcome()
    var alerted = Set<String>()
    var cut = Set<Int>()
    for t in executionTimes() {
      let range = window(at: t)
      let keep = max(range.lowerBound, range.upperBound - rule.maxAlertsPerExecution)
      for i in range.lowerBound..<keep { cut.insert(i) }
      for i in keep..<range.upperBound where alerted.insert(alertKey(matches[i])).inserted {
        outcome.picks.append(AlertPick(match: i, executionTime: t, historyStart: nil))
      }
    }
    let alertedIndices = Set(outcome.picks.map(\.match))
    outcome.dropped = Set(cut.filter { !alertedIndices.contains($0) }.map { alertKey(matches[$0]) }).subtracting(alerted).count
    return outcome
  }

  /// New terms: a term is new at execution T when its first occurrence in [T-history, T] lies
  /// after T-lookBack. One alert per new term from its earliest event in the window; candidates
  /// in ascending byte order of the term values, at most `maxAlertsPerExecution`.
  func selectNewTerms(termValues: [[String]]) -> Outcome {
    var outcome = Outcome()
    let historyMillis = Int64(rule.historyWindowSeconds) * 1000
    var timesByTerm = [[Int64]](repeating: [], count: termValues.count)
    for match in matches where match.term >= 0 { timesByTerm[Int(match.term)].append(match.time) }
    let sortKeys = termValues.map { $0.map { Array($0.utf8) } }
    var alerted = Set<String>()
    var cutKeys = Set<String>()
    for t in executionTimes() {
      let range = window(at: t)
      var earliestByTerm: [Int32: Int] = [:]
      for i in range where matches[i].term >= 0 && earliestByTerm[matches[i].term] == nil {
        earliestByTerm[matches[i].term] = i
      }
      let historyStart = t - historyMillis
      var candidates: [(term: Int32, match: Int)] = []
      for (term, index) in earliestByTerm {
        let times = timesByTerm[Int(term)]
        var low = 0, high = times.count
        while low < high {
          let mid = (low + high) / 2
          if times[mid] < historyStart { low = mid + 1 } else { high = mid }
        }
        if low < times.count && times[low] > t - lookBackMillis { candidates.append((term, index)) }
      }
      candidates.sort { a, b in
        let ka = sortKeys[Int(a.term)], kb = sortKeys[Int(b.term)]
        for (x, y) in zip(ka, kb) where x != y { return x.lexicographicallyPrecedes(y) }
        return ka.count < kb.count
      }
      for (n, candidate) in candidates.enumerated() {
        let key = alertKey(matches[candidate.match])
        if n >= rule.maxAlertsPerExecution {
          cutKeys.insert(key)
          continue
        }
        if alerted.insert(key).inserted {
          outcome.picks.append(AlertPick(match: candidate.match, executionTime: t, historyStart: max(historyStart, earliestEvent)))
        }
      }
    }
    outcome.dropped = cutKeys.subtracting(alerted).count
    return outcome
  }
}
