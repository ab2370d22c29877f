import TriageCore

/// Evidence in the guide: pinning it into the step's note, and the events behind it.
extension ConsoleState {
  /// The events a step's evidence lines point at, in time order, without repeats.
  func stepEventIndices(_ evidence: AlertEvidence, _ step: String) -> [Int] {
    Array(Set(evidence.lines(for: step).flatMap(\.events))).sorted()
  }

  public func evidenceEvents(uuid: String, step: String, line: Int? = nil) -> [Int] {
    guard case .ready(let found)? = evidence[uuid] else { return [] }
    if let line {
      let lines = found.lines(for: step)
      return lines.indices.contains(line) ? Array(Set(lines[line].events)).sorted() : []
    }
    return stepEventIndices(found, step)
  }

  /// How many evidence lines the selected step has (0 while collecting).
  var selectedStepEvidenceCount: Int {
    guard case .guide(let uuid) = top, let step = selectedStep, case .ready(let found)? = evidence[uuid] else { return 0 }
    return found.lines(for: step.key).count
  }

  /// `]` / `[`: walks the cursor over the selected step's evidence lines; past either end it
  /// returns to the step.
  mutating func moveEvidenceLine(by delta: Int) {
    let count = selectedStepEvidenceCount
    guard count > 0 else {
      message = "no evidence lines for this step"
      return
    }
    evidenceFolded = false
    let next = (evidenceLine ?? (delta > 0 ? -1 : count)) + delta
    evidenceLine = (0..<count).contains(next) ? next : nil
  }

  /// Opens the events behind the step's evidence, or behind the line under the cursor.
  mutating func openEvidenceEvents(line: Int?) {
    guard case .guide(let uuid) = top, let step = selectedStep else { return }
    guard !evidenceEvents(uuid: uuid, step: step.key, line: line).isEmpty else {
      message = line == nil ? "no events behind this step's evidence" : "no events behind this line"
      return
    }
    eventList = ScrollState()
    route.append(.events(uuid: uuid, step: step.key, line: line))
  }

  public func relatedEvent(uuid: String, index: Int) -> RelatedEvent? {
    guard case .ready(let found)? = evidence[uuid], found.events.indices.contains(index) else { return nil }
    return found.events[index]
  }

  func eventDetailLines(uuid: String, index: Int) -> [DetailLine] {
    guard let event = relatedEvent(uuid: uuid, index: index) else { return [] }
    return AlertDetailContent.eventLines(event)
  }

  /// `p`: appends the step's evidence to its note, so the report and Kibana keep what was seen.
  mutating func pinEvidence(now: String) -> [Effect] {
    guard case .guide(let uuid) = top, let step = selectedStep else { return [] }
    guard case .ready(let found)? = evidence[uuid] else {
      message = evidence[uuid] == .loading ? "evidence is still being collected" : "no evidence to pin"
      return []
    }
    let lines = found.lines(for: step.key).map(\.text)
    guard !lines.isEmpty else { return [] }
    let existing = session.state(of: uuid).step(step.key).note
    // Pressing p again pins nothing new: the same lines are in the note already.
    if existing.contains("):\n" + lines.joined(separator: "\n")) {
      message = "this evidence is pinned in the step's note already"
      return []
    }
    let pinned = "Evidence (pinned \(now)):\n" + lines.joined(separator: "\n")
    session.setStepNote(existing.isEmpty ? pinned : existing + "\n" + pinned, step: step.key, for: uuid, at: now)
    message = "evidence pinned into the step's note"
    return [.save(session)]
  }
}
