import TriageCore

/// Everything that can happen to the console: key-bound commands, text input, and results fed
/// back by the run loop. `ConsoleState.update` is the only place they take effect.
public enum Action: Sendable, Equatable {
  case moveDown, moveUp, pageDown, pageUp, top, bottom
  case open, back, quit, showHelp, redraw
  case sortNext, sortReverse, filter
  case search, searchNext, searchPrevious
  case toggleMark
  case acknowledge, close, reopen
  case openGuide, showRaw, writeNote, copyValue
  case stepDone, stepNotApplicable, stepOpen, editStepNote
  case saveEditor, cancelEditor
  case proposeExclusion, showExclusions, toggleExclusion, deleteExclusion
  case nextField, previousField, cycleOperator, toggleScope, saveExclusion
  case pinEvidence, showStepEvents
  /// Moves the cursor over the selected step's evidence lines (Enter then opens a line's events).
  case nextEvidenceLine, previousEvidenceLine
  case toggleEvidence
  /// The run loop's answer to `.collectEvidence`.
  case evidence(uuid: String, EvidenceState)
  case scrollLeft, scrollRight
  /// Text typed or pasted into the editor or a prompt.
  case insert(String)
  /// An editing key (arrows, Home/End, Backspace, Delete, Enter) inside the editor or a prompt.
  case edit(Key)
  case resize(Size)
  case setStatus(AlertStatus, reason: CloseReason?)
  /// The run loop's answer to `.save`: nil on success, else the message.
  case saved(error: String?)
  /// The run loop's answer to `.completeRows`.
  case rowsCompleted(CompletedRows)
}

/// What `update` asks the outside world to do; the run loop performs it.
public enum Effect: Sendable, Equatable {
  case save(TriageSession)
  /// Read the logs for the alert's evidence (shown while the guide is open).
  case collectEvidence(uuid: String)
  /// Put text on the clipboard (OSC 52).
  case copy(String)
  case quit
  /// Repaint the whole terminal (after Ctrl-L).
  case redraw
  /// Build the rows the first frame skipped (`ConsoleState.startEffects`), off the run loop.
  case completeRows(RowCompletion)
}
