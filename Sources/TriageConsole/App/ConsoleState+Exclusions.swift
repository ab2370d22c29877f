import Foundation
import TriageCore

/// Writing, previewing, listing, disabling and deleting exclusions.
extension ConsoleState {
  /// `x`: the proposals for the current alert, first one highlighted.
  mutating func proposeExclusion() {
    guard let uuid = currentUUID, let alert = session.alert(uuid: uuid) else { return }
    let proposals = ExclusionProposal.proposals(for: alert)
    guard !proposals.isEmpty else {
      message = "this event has none of the fields exclusions are built from"
      return
    }
    if let draft = session.state(of: uuid).drafts[ExclusionFormState.draftKey],
       let restored = ExclusionFormState.restoring(draft, uuid: uuid, ruleID: alert.ruleID, proposals: proposals) {
      overlay = .exclusion(restored)
      message = "restored the unsaved exclusion draft (Esc, then y, discards it)"
      return
    }
    overlay = .exclusion(ExclusionFormState(uuid: uuid, ruleID: alert.ruleID, proposals: proposals))
  }

  mutating func handleExclusionForm(_ key: Key, _ form: ExclusionFormState, now: String) -> [Effect] {
    var form = form
    if form.stage == .choose {
      switch key {
      case .char("j"), .down: form.choice.move(by: 1, count: form.proposals.count)
      case .char("k"), .up: form.choice.move(by: -1, count: form.proposals.count)
      case .enter: form.choose(form.choice.selected)
      case .escape, .char("q"):
        overlay = nil
        return []
      default: return []
      }
      overlay = .exclusion(form)
      return []
    }
    if form.isConfirmingDiscard {
      switch key {
      case .char("y"), .char("Y"):
        overlay = nil
        message = "exclusion discarded"
        if dropDraft(ExclusionFormState.draftKey, for: form.uuid) { return [.save(session)] }
      case .char("n"), .char("N"), .escape:
        form.isConfirmingDiscard = false
        overlay = .exclusion(form)
      default: break
      }
      return []
    }
    if let action = Keymap.action(for: key, in: .exclusionForm) {
      if action == .back {
        if form.hasChanges {
          form.isConfirmingDiscard = true
          overlay = .exclusion(form)
        } else {
          overlay = nil
          message = "exclusion not saved"
        }
        return []
      }
      return update(action, now: now)
    }
    switch key {
    case .char(let c): form.focusedText.append(c)
    case .backspace: if !form.focusedText.isEmpty { form.focusedText.removeLast() }
    case .enter: form.focus = form.conditions.count
    default: return []
    }
    overlay = .exclusion(form)
    return []
  }

  mutating func updateExclusionForm(_ action: Action, now: String) -> [Effect] {
    guard case .exclusion(var form) = overlay, form.stage == .form else { return [] }
    switch action {
    case .nextField: form.focus = (form.focus + 1) % (form.conditions.count + 1)
    case .previousField: form.focus = (form.focus + form.conditions.count) % (form.conditions.count + 1)
    case .cycleOperator: form.cycleOperator()
    case .toggleScope: form.scope = form.scope == .thisRule ? .allRules : .thisRule
    case .saveExclusion:
      let ruleIDs = BuiltinRules.all.map(\.ruleID)
      switch form.exclusion(id: UUID().uuidString.lowercased(), author: author, now: now, allRules: ruleIDs) {
      case .failure(let error):
        message = error.message
      case .success(let exclusion):
        if let index = session.exclusions.firstIndex(where: { $0.id == exclusion.id }) {
          var replaced = exclusion
          replaced.createdAt = session.exclusions[index].createdAt
          replaced.isEnabled = session.exclusions[index].isEnabled
          session.exclusions[index] = replaced
        } else {
          session.exclusions.append(exclusion)
        }
        overlay = nil
        _ = dropDraft(ExclusionFormState.draftKey, for: form.uuid)
        rebuildRows()
        let hidden = suppressedCount(exclusion)
        message = "exclusion saved: hides \(hidden) alert\(hidden == 1 ? "" : "s") (f shows them, X lists exclusions)"
        return [.save(session)]
      }
    default: return []
    }
    overlay = .exclusion(form)
    return []
  }

  /// The alerts an exclusion matches among the session's alerts of its rules.
  public func suppressedAlerts(ruleIDs: [String], entries: [ExclusionEntry]) -> [Int] {
    guard !entries.isEmpty else { return [] }
    let probe = Exclusion(id: "", name: "", ruleIDs: ruleIDs, entries: entries, comment: "", author: "", createdAt: "")
    return session.alerts.indices.filter { ruleIDs.contains(session.alerts[$0].ruleID) && probe.matches(session.alerts[$0].document) }
  }

  public func suppressedCount(_ exclusion: Exclusion) -> Int {
    exclusion.isEnabled ? suppressedAlerts(ruleIDs: exclusion.ruleIDs, entries: exclusion.entries).count : 0
  }

  /// The exclusion under the list selection, and whether it is the session's (editable).
  var selectedExclusion: (exclusion: Exclusion, sessionIndex: Int?)? {
    let all = allExclusions
    guard all.indices.contains(exclusionList.selected) else { return nil }
    let index = exclusionList.selected
    return (all[index], index < session.exclusions.count ? index : nil)
  }

  mutating func toggleSelectedExclusion() -> [Effect] {
    guard let selected = selectedExclusion else { return [] }
    guard let index = selected.sessionIndex else {
      message = "this exclusion comes from a shared --exclusions file; change it there"
      return []
    }
    session.exclusions[index].isEnabled.toggle()
    rebuildRows()
    message = session.exclusions[index].isEnabled ? "exclusion enabled" : "exclusion disabled"
    return [.save(session)]
  }

  mutating func deleteSelectedExclusion() -> [Effect] {
    guard let selected = selectedExclusion else { return [] }
    guard let index = selected.sessionIndex else {
      message = "this exclusion comes from a shared --exclusions file; change it there"
      return []
    }
    // Its comment is the analyst's reasoning: one key does not throw it away.
    guard deletionConfirmed == selected.exclusion.id else {
      deletionAsked = selected.exclusion.id
      message = "D again deletes \"\(selected.exclusion.name)\" and its comment; any other key keeps it"
      return []
    }
    session.exclusions.remove(at: index)
    exclusionList.move(by: 0, count: allExclusions.count)
    rebuildRows()
    message = "exclusion deleted"
    return [.save(session)]
  }

  mutating func editSelectedExclusion() {
    guard let selected = selectedExclusion else { return }
    guard selected.sessionIndex != nil else {
      message = "this exclusion comes from a shared --exclusions file; change it there"
      return
    }
    overlay = .exclusion(ExclusionFormState(editing: selected.exclusion))
  }
}
