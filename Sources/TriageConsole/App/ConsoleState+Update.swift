import TriageCore

extension ConsoleState {
  /// Turns a key into an action through the keymap (or into text, where text is being typed) and
  /// applies it. `now` (ISO 8601) stamps notes and status changes, injected so tests are exact.
  /// A key whose answer needs rows not built yet waits for them, with the keys after it
  /// (`EarlyKeys`).
  public mutating func handle(_ key: Key, now: String) -> [Effect] {
    if keepIfWaiting(key, now: now) { return [] }
    // A deletion asked about is confirmed by the very next key only.
    deletionConfirmed = deletionAsked
    deletionAsked = nil
    defer { deletionConfirmed = nil }
    // Nothing is drawn but the size: a key acting unseen (typing into a note, a status change)
    // would surprise. Only q quits, where no text is being written.
    if layout.isTooSmall {
      guard key == .char("q"), !isWritingText else { return [] }
      return [.quit]
    }
    message = nil
    switch overlay {
    case .search:
      switch key {
      case .char(let c): return update(.insert(String(c)), now: now)
      case .enter: return update(.open, now: now)
      case .escape: return update(.back, now: now)
      case .backspace: return update(.edit(.backspace), now: now)
      default: return []
      }
    case .value(var view):
      // Moving keys scroll a long value; any other key closes it (it is read-only).
      let page = max(1, layout.valueRows - 1)
      let step: Int? = switch Keymap.action(for: key, in: .valueView) {
      case .moveDown: 1
      case .moveUp: -1
      case .pageDown: page
      case .pageUp: -page
      case .top: Int.min / 2
      case .bottom: Int.max / 2
      default: nil
      }
      guard let step else {
        overlay = nil
        return []
      }
      view.wrap(for: layout.body.width)
      view.scroll(by: step, rows: layout.valueRows)
      overlay = .value(view)
      return []
    case .editor(let editor) where editor.isConfirmingDiscard:
      switch key {
      case .char("y"), .char("Y"):
        overlay = nil
        message = "note discarded"
        // A draft kept from an earlier session is what was discarded: it is not offered again.
        if dropDraft(editor.target.draftKey, for: editor.target.uuid) { return [.save(session)] }
      case .char("n"), .char("N"), .escape:
        var kept = editor
        kept.isConfirmingDiscard = false
        overlay = .editor(kept)
      default: break
      }
      return []
    case .editor:
      if let action = Keymap.action(for: key, in: .noteEditor) { return update(action, now: now) }
      switch key {
      case .char(let c): return update(.insert(String(c)), now: now)
      case .tab: return update(.insert("  "), now: now)
      case .enter, .backspace, .delete: return update(.edit(key), now: now)
      default: return []
      }
    case .exclusion(let form):
      return handleExclusionForm(key, form, now: now)
    case .picker, nil:
      guard let action = Keymap.action(for: key, in: scope) else { return [] }
      // Wheel events scroll a few rows at a time, as in other terminal programs.
      if key == .wheelDown || key == .wheelUp {
        return (0..<3).flatMap { _ in update(action, now: now) }
      }
      return update(action, now: now)
    }
  }

  /// Applies one action. No I/O: saving, copying and quitting come back as effects.
  public mutating func update(_ action: Action, now: String) -> [Effect] {
    if case .picker(var picker) = overlay {
      switch action {
      case .moveDown, .moveUp:
        picker.scroll.move(by: action == .moveDown ? 1 : -1, count: picker.choices.count)
        overlay = .picker(picker)
        return []
      case .open: return choose(picker, now: now)
      case .back, .quit:
        overlay = nil
        return []
      default: break
      }
    }
    switch action {
    case .moveDown: move(by: 1)
    case .moveUp: move(by: -1)
    case .pageDown: move(by: pageSize)
    case .pageUp: move(by: -pageSize)
    case .top: move(by: Int.min / 2)
    case .bottom: move(by: Int.max / 2)
    case .open: return open(now: now)
    case .back: back()
    case .quit:
      if route.count > 1 || overlay != nil { back() } else { return [.quit] }
    case .showHelp:
      if top != .help {
        help = ScrollState()
        route.append(.help)
      }
    case .redraw: return [.redraw]
    case .sortNext, .sortReverse:
      guard top == .list else { return [] }
      if action == .sortNext {
        list.sort = list.sort.next
      } else {
        list.isDescending.toggle()
      }
      refreshList()
      message = "sorted by \(list.sort.rawValue), \(list.sort.direction(descending: list.isDescending))"
    case .filter:
      guard top == .list else { return [] }
      overlay = .picker(filterPicker())
    case .search:
      guard top == .list else { return [] }
      overlay = .search(query: "", origin: list.scroll.selected)
    case .searchNext, .searchPrevious:
      guard top == .list else { return [] }
      guard !list.query.isEmpty else {
        message = "no search yet: / starts one"
        return []
      }
      if let found = findMatch(list.query, from: list.scroll.selected + (action == .searchNext ? 1 : -1), forward: action == .searchNext) {
        selectListRow(found)
      } else {
        message = "no match for \(list.query)"
      }
    case .toggleMark:
      guard top == .list, let uuid = selectedUUID else { return [] }
      if list.marks.remove(uuid) == nil { list.marks.insert(uuid) }
      move(by: 1)
    case .acknowledge: return setStatus(.acknowledged, reason: nil, now: now)
    case .reopen: return setStatus(.open, reason: nil, now: now)
    case .setStatus(let status, let reason): return setStatus(status, reason: reason, now: now)
    case .close:
      let targets = statusTargets
      guard !targets.isEmpty else { return [] }
      let title = targets.count == 1 ? "Close alert as…" : "Close \(targets.count) marked alerts as…"
      overlay = .picker(PickerState(purpose: .close(uuids: targets), title: title, choices: CloseReason.allCases.map { .reason($0) }))
    case .openGuide:
      guard let uuid = currentUUID, let alert = session.alert(uuid: uuid) else { return [] }
      guard alert.rule != nil else {
        message = "no investigation guide for rule \(alert.ruleName)"
        return []
      }
      if case .guide = top { return [] }
      guide = ScrollState()
      evidenceLine = nil
      route.append(.guide(uuid: uuid))
      if evidence[uuid] == nil {
        evidence[uuid] = .loading
        return [.collectEvidence(uuid: uuid)]
      }
    case .showRaw:
      guard case .detail(let uuid) = top else { return [] }
      raw = ScrollState()
      rawColumn = 0
      route.append(.raw(uuid: uuid))
    case .writeNote:
      guard let uuid = currentUUID else { return [] }
      openAlertNote(uuid)
    case .copyValue:
      let lines: [DetailLine], selected: Int
      switch top {
      case .detail(let uuid):
        guard let alert = session.alert(uuid: uuid) else { return [] }
        (lines, selected) = (AlertDetailContent.lines(alert, state: session.state(of: uuid)), detail.selected)
      case .event(let uuid, let index):
        (lines, selected) = (eventDetailLines(uuid: uuid, index: index), eventDetail.selected)
      default: return []
      }
      guard lines.indices.contains(selected), let text = lines[selected].copyText else {
        message = "nothing to copy on this line"
        return []
      }
      let line = lines[selected]
      let title = line.whole != nil ? "Note" : line.label.isEmpty ? "Text" : line.label
      overlay = .value(ValueView(title: title, text: text, areaWidth: layout.body.width))
      return [.copy(text)]
    case .stepDone: return setStep(.done, now: now)
    case .stepNotApplicable: return setStep(.notApplicable, now: now)
    case .stepOpen: return setStep(.open, now: now)
    case .editStepNote:
      guard case .guide(let uuid) = top, let step = selectedStep else { return [] }
      let state = session.state(of: uuid)
      let existing = state.step(step.key).note
      let draft = state.drafts[step.key]
      if draft != nil { message = "restored the unsaved draft" }
      overlay = .editor(NoteEditorState(target: .stepNote(uuid: uuid, step: step.key, title: step.title), text: draft ?? existing, original: existing))
    case .saveEditor: return saveEditor(now: now)
    case .cancelEditor:
      guard case .editor(var editor) = overlay else { return [] }
      if editor.hasChanges {
        editor.isConfirmingDiscard = true
        overlay = .editor(editor)
      } else {
        overlay = nil
        // A restored draft edited back to the saved text is closed unasked: it is gone too.
        if dropDraft(editor.target.draftKey, for: editor.target.uuid) { return [.save(session)] }
      }
    case .insert(let text):
      // Outside a `switch overlay`, which would hold the overlay (and the text) for its cases.
      if isEditorOpen {
        changeEditor { $0.buffer.insert(text) }
        return []
      }
      switch overlay {
      case .search(let query, let origin):
        let updated = query + text
        overlay = .search(query: updated, origin: origin)
        followSearch(updated, from: origin)
      default: break
      }
    case .edit(let key):
      if isEditorOpen {
        changeEditor { editor in
          switch key {
          case .left: editor.buffer.moveLeft()
          case .right: editor.buffer.moveRight()
          case .up: editor.buffer.moveUp()
          case .down: editor.buffer.moveDown()
          case .home: editor.buffer.moveHome()
          case .end: editor.buffer.moveEnd()
          case .enter: editor.buffer.newline()
          case .backspace: editor.buffer.backspace()
          case .delete: editor.buffer.deleteForward()
          default: break
          }
        }
        return []
      }
      switch overlay {
      case .search(let query, let origin):
        guard key == .backspace else { return [] }
        let updated = String(query.dropLast())
        overlay = .search(query: updated, origin: origin)
        followSearch(updated, from: origin)
      default: break
      }
    case .scrollLeft: rawColumn = max(0, rawColumn - 8)
    case .scrollRight: rawColumn += 8
    case .resize(let newSize):
      size = newSize
      if case .value(var view) = overlay {
        view.wrap(for: layout.body.width)
        view.scroll(by: 0, rows: layout.valueRows)
        overlay = .value(view)
      }
      list.scroll.follow(height: layout.listRows, count: list.visible.count)
    case .saved(let error):
      saveError = error
    case .proposeExclusion: proposeExclusion()
    case .showExclusions:
      if top != .exclusions {
        exclusionList = ScrollState()
        route.append(.exclusions)
      }
    case .toggleExclusion: return toggleSelectedExclusion()
    case .deleteExclusion: return deleteSelectedExclusion()
    case .nextField, .previousField, .cycleOperator, .toggleScope, .saveExclusion:
      return updateExclusionForm(action, now: now)
    case .evidence(let uuid, let state):
      evidence[uuid] = state
    case .rowsCompleted(let completed):
      rows.add(completed)
      return resumeEarlyKeys()
    case .pinEvidence: return pinEvidence(now: now)
    case .showStepEvents: openEvidenceEvents(line: evidenceLine)
    case .nextEvidenceLine: moveEvidenceLine(by: 1)
    case .previousEvidenceLine: moveEvidenceLine(by: -1)
    case .toggleEvidence:
      evidenceFolded.toggle()
      evidenceLine = nil
    }
    return []
  }

  private var isEditorOpen: Bool {
    if case .editor = overlay { true } else { false }
  }

  /// Changes the open note editor in place. The overlay lets go of it first: changed while the
  /// overlay still held it, the text was copied whole on every key, and a paste took time
  /// quadratic in its length.
  private mutating func changeEditor(_ change: (inout NoteEditorState) -> Void) {
    guard case .editor(var editor) = overlay else { return }
    overlay = nil
    change(&editor)
    overlay = .editor(editor)
  }

  /// Opens the note editor on a new note for the alert, from its draft when one waits.
  mutating func openAlertNote(_ uuid: String) {
    let target = NoteEditorState.Target.alertNote(uuid: uuid)
    let draft = session.state(of: uuid).drafts[target.draftKey]
    if draft != nil { message = "restored the unsaved draft" }
    overlay = .editor(NoteEditorState(target: target, text: draft ?? "", original: ""))
  }

  /// Forgets a draft once what it kept is saved or thrown away; true when there was one (the
  /// session then needs saving).
  mutating func dropDraft(_ key: String, for uuid: String) -> Bool {
    guard session.state(of: uuid).drafts[key] != nil else { return false }
    session.setDraft(nil, key: key, for: uuid)
    return true
  }

  /// Keeps unsaved editor or exclusion-form text in the session (on SIGHUP/SIGTERM) so it can be
  /// offered again.
  /// Returns true when there was something to keep.
  public mutating func preserveDraft() -> Bool {
    switch overlay {
    case .editor(let editor) where editor.hasChanges:
      session.setDraft(editor.buffer.text, key: editor.target.draftKey, for: editor.target.uuid)
      return true
    case .exclusion(let form) where form.hasChanges && !form.uuid.isEmpty:
      // A new exclusion, from an alert; an existing one being edited keeps its saved version.
      session.setDraft(form.draftText, key: ExclusionFormState.draftKey, for: form.uuid)
      return true
    default:
      return false
    }
  }

  // MARK: - Helpers

  private var pageSize: Int { max(1, (top == .list ? layout.listRows : layout.pageRows) - 1) }

  /// The alerts a status key applies to: the marked ones on the list, else the current one.
  private var statusTargets: [String] {
    if top == .list, !list.marks.isEmpty {
      return list.visible.map { session.alerts[$0].uuid }.filter { list.marks.contains($0) }
        + list.marks.filter { uuid in !list.visible.contains { session.alerts[$0].uuid == uuid } }.sorted()
    }
    return currentUUID.map { [$0] } ?? []
  }

  private mutating func setStatus(_ status: AlertStatus, reason: CloseReason?, now: String) -> [Effect] {
    let targets = statusTargets
    guard !targets.isEmpty else { return [] }
    let hidden = top == .list ? hiddenMarks : 0
    session.setStatus(status, reason: reason, for: targets, at: now)
    if top == .list { list.marks.removeAll() }
    refreshList()
    var text = targets.count == 1 ? "alert \(status.label)" : "\(targets.count) alerts \(status.label)"
    if let reason, status == .closed { text += " as \(reason.label)" }
    if hidden > 0 { text += " (\(hidden) of them hidden by the filter)" }
    message = text
    return [.save(session)]
  }

  var selectedStep: GuideStep? {
    guard case .guide(let uuid) = top, let steps = session.alert(uuid: uuid)?.rule?.guide.steps,
      steps.indices.contains(guide.selected)
    else { return nil }
    return steps[guide.selected]
  }

  private mutating func setStep(_ status: StepStatus, now: String) -> [Effect] {
    guard case .guide(let uuid) = top, let step = selectedStep else { return [] }
    session.setStepStatus(status, step: step.key, for: uuid, at: now)
    if status != .open { move(by: 1) }
    return [.save(session)]
  }

  private mutating func saveEditor(now: String) -> [Effect] {
    guard case .editor(let editor) = overlay else { return [] }
    let text = editor.buffer.text
    switch editor.target {
    case .alertNote(let uuid):
      guard !text.allSatisfy(\.isWhitespace) else {
        message = "the note is empty; nothing saved (Esc leaves)"
        return []
      }
      session.addNote(text, author: author, for: uuid, at: now)
      message = "note saved"
    case .stepNote(let uuid, let step, _):
      session.setStepNote(text, step: step, for: uuid, at: now)
      message = "step note saved"
    }
    overlay = nil
    return [.save(session)]
  }

  private mutating func open(now: String) -> [Effect] {
    switch overlay {
    case .search(let query, _):
      overlay = nil
      list.query = query
      if !query.isEmpty, findMatch(query, from: list.scroll.selected, forward: true) == nil {
        message = "no match for \(query)"
      }
      return []
    default: break
    }
    switch top {
    case .list:
      guard let uuid = selectedUUID else { return [] }
      detail = ScrollState()
      route.append(.detail(uuid: uuid))
    case .guide:
      if let line = evidenceLine {
        openEvidenceEvents(line: line)
        return []
      }
      return update(.editStepNote, now: now)
    case .exclusions: editSelectedExclusion()
    case .events(let uuid, let step, let line):
      let indices = evidenceEvents(uuid: uuid, step: step, line: line)
      guard indices.indices.contains(eventList.selected) else { return [] }
      eventDetail = ScrollState()
      route.append(.event(uuid: uuid, index: indices[eventList.selected]))
    case .detail, .raw, .help, .event: break
    }
    return []
  }

  private mutating func back() {
    if overlay != nil {
      if case .search(_, let origin) = overlay { list.scroll.select(origin, count: list.visible.count) }
      overlay = nil
      return
    }
    if route.count > 1 {
      route.removeLast()
      return
    }
    // On the list, Esc undoes the innermost mode first: the search, then the filter, then marks.
    if !list.query.isEmpty {
      list.query = ""
      message = "search cleared"
    } else if list.filter.isActive {
      list.filter = AlertFilter()
      refreshList()
      message = "filter cleared"
    } else if !list.marks.isEmpty {
      list.marks.removeAll()
      message = "marks cleared"
    }
  }

  private mutating func move(by delta: Int) {
    switch top {
    case .list:
      list.scroll.move(by: delta, count: list.visible.count)
      list.scroll.follow(height: layout.listRows, count: list.visible.count)
    case .detail(let uuid):
      let count = session.alert(uuid: uuid).map { AlertDetailContent.lines($0, state: session.state(of: uuid)).count } ?? 0
      detail.move(by: delta, count: count)
      detail.follow(height: layout.pageRows, count: count)
    case .raw(let uuid):
      // The raw view scrolls its text rather than selecting lines: `selected` is the top line.
      let count = session.alert(uuid: uuid).map { RawEventContent.lines($0).count } ?? 0
      raw.move(by: delta, count: max(1, count - layout.pageRows + 1))
    case .guide(let uuid):
      let count = session.alert(uuid: uuid)?.rule?.guide.steps.count ?? 0
      guide.move(by: delta, count: count)
      evidenceLine = nil
    case .help:
      help.move(by: delta, count: max(1, HelpView.lines().count - layout.pageRows + 1))
    case .exclusions:
      exclusionList.move(by: delta, count: allExclusions.count)
    case .events(let uuid, let step, let line):
      let count = evidenceEvents(uuid: uuid, step: step, line: line).count
      eventList.move(by: delta, count: count)
      eventList.follow(height: layout.pageRows - 1, count: count)
    case .event(let uuid, let index):
      let count = eventDetailLines(uuid: uuid, index: index).count
      eventDetail.move(by: delta, count: count)
      eventDetail.follow(height: layout.pageRows, count: count)
    }
  }

  mutating func selectListRow(_ position: Int) {
    list.scroll.select(position, count: list.visible.count)
    list.scroll.follow(height: layout.listRows, count: list.visible.count)
  }

  /// The visible position of the next row whose fields contain `query` (case-insensitive),
  /// starting at `from` and wrapping around.
  func findMatch(_ query: String, from start: Int, forward: Bool) -> Int? {
    let count = list.visible.count
    guard count > 0, !query.isEmpty else { return nil }
    let hits = rows.searchIndex().hits(Array(query.lowercased().utf8))
    for step in 0..<count {
      let position = ((forward ? start + step : start - step) % count + count) % count
      if hits[list.visible[position]] { return position }
    }
    return nil
  }

  private func filterPicker() -> PickerState {
    var choices: [PickerState.Choice] = [.status(nil)]
    choices += AlertStatus.allCases.map { .status($0) }
    choices.append(.rule(id: nil, name: "any rule"))
    var seenRules = Set<String>()
    for row in rows.outlines where seenRules.insert(row.ruleID).inserted { choices.append(.rule(id: row.ruleID, name: row.rule)) }
    choices.append(.severity(nil))
    let severities = Set(rows.outlines.map(\.severity)).sorted { AlertRow.rank(of: $0) > AlertRow.rank(of: $1) }
    choices += severities.map { .severity($0) }
    choices.append(.excluded(!list.filter.showExcluded))
    return PickerState(purpose: .filter, title: "Filter alerts by…", choices: choices)
  }

  private mutating func choose(_ picker: PickerState, now: String) -> [Effect] {
    guard picker.choices.indices.contains(picker.scroll.selected) else { return [] }
    let choice = picker.choices[picker.scroll.selected]
    overlay = nil
    switch (picker.purpose, choice) {
    case (.close(let uuids), .reason(let reason)):
      session.setStatus(.closed, reason: reason, for: uuids, at: now)
      list.marks.subtract(uuids)
      refreshList()
      message = uuids.count == 1 ? "alert closed as \(reason.label)" : "\(uuids.count) alerts closed as \(reason.label)"
      // 'Other' says nothing by itself: the note editor opens for the reason (Esc skips it).
      if reason == .other, uuids.count == 1, let uuid = uuids.first {
        openAlertNote(uuid)
        message = "alert closed as other: say why in a note (Ctrl-S saves it, Esc skips)"
      } else if reason == .other {
        message! += "; e writes a note on each saying why"
      }
      return [.save(session)]
    case (.filter, .status(let status)): list.filter.status = status
    case (.filter, .rule(let id, let name)):
      list.filter.ruleID = id
      list.filter.ruleName = id == nil ? nil : name
    case (.filter, .severity(let severity)): list.filter.severity = severity
    case (.filter, .excluded(let shown)): list.filter.showExcluded = shown
    default: return []
    }
    refreshList()
    return []
  }
}
