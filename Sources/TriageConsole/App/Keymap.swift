/// The one keymap. Familiar keys first: vim keys and arrows, `/` `n` `N`, `?`, Enter in, Esc out.
public enum Keymap {
  public static let bindings: [KeyBinding] = [
    KeyBinding([.char("j"), .down], .moveDown, .global, "move down"),
    KeyBinding([.char("k"), .up], .moveUp, .global, "move up"),
    KeyBinding([.pageDown, .ctrl("f"), .ctrl("d")], .pageDown, .global, "page down"),
    KeyBinding([.pageUp, .ctrl("b"), .ctrl("u")], .pageUp, .global, "page up"),
    KeyBinding([.home], .top, .global, "first row"),
    KeyBinding([.char("G"), .end], .bottom, .global, "last row"),
    KeyBinding([.wheelDown], .moveDown, .global, "scroll down", .hidden),
    KeyBinding([.wheelUp], .moveUp, .global, "scroll up", .hidden),
    KeyBinding([.escape], .back, .global, "back (clears a search or filter first)", .hint),
    KeyBinding([.char("q")], .quit, .global, "quit (from the list; elsewhere: back)", .hint),
    KeyBinding([.char("?")], .showHelp, .global, "this help", .hint),
    KeyBinding([.ctrl("l")], .redraw, .global, "redraw the screen"),
    KeyBinding([.char("X")], .showExclusions, .global, "list of exclusions"),

    KeyBinding([.enter], .open, .alertList, "open the alert", .hint),
    KeyBinding([.char("/")], .search, .alertList, "search all visible fields", .hint),
    KeyBinding([.char("n")], .searchNext, .alertList, "next match"),
    KeyBinding([.char("N")], .searchPrevious, .alertList, "previous match"),
    KeyBinding([.char("s")], .sortNext, .alertList, "sort by the next column (time, severity, rule, principal, function)", .hint),
    KeyBinding([.char("S")], .sortReverse, .alertList, "reverse the sort order"),
    KeyBinding([.char("f")], .filter, .alertList, "filter by rule, status, severity, or show excluded alerts", .hint),
    KeyBinding([.char(" ")], .toggleMark, .alertList, "mark / unmark (status keys then apply to all marked)"),
    KeyBinding([.char("a")], .acknowledge, .alertList, "acknowledge", .hint),
    KeyBinding([.char("c")], .close, .alertList, "close… (asks for a reason)", .hint),
    KeyBinding([.char("o")], .reopen, .alertList, "reopen"),
    KeyBinding([.char("g"), .tab], .openGuide, .alertList, "investigation guide", .hint),
    KeyBinding([.char("e")], .writeNote, .alertList, "write a note", .hint),
    KeyBinding([.char("x")], .proposeExclusion, .alertList, "exclude events like this one (false positive)…", .hint),

    KeyBinding([.char("r")], .showRaw, .alertDetail, "raw event (JSON)", .hint),
    KeyBinding([.char("g"), .tab], .openGuide, .alertDetail, "investigation guide", .hint),
    KeyBinding([.char("e")], .writeNote, .alertDetail, "write a note", .hint),
    KeyBinding([.char("y"), .enter], .copyValue, .alertDetail, "copy the value (OSC 52) and show it whole", .hint),
    KeyBinding([.char("a")], .acknowledge, .alertDetail, "acknowledge"),
    KeyBinding([.char("c")], .close, .alertDetail, "close… (asks for a reason)", .hint),
    KeyBinding([.char("o")], .reopen, .alertDetail, "reopen"),
    KeyBinding([.char("x")], .proposeExclusion, .alertDetail, "exclude events like this one…", .hint),

    KeyBinding([.char("h"), .left], .scrollLeft, .rawEvent, "scroll left"),
    KeyBinding([.char("l"), .right], .scrollRight, .rawEvent, "scroll right"),
    KeyBinding([.char("r")], .back, .rawEvent, "back to the detail", .hint),

    KeyBinding([.char("d")], .stepDone, .guide, "mark the step done", .hint),
    KeyBinding([.char("n")], .stepNotApplicable, .guide, "mark the step not applicable", .hint),
    KeyBinding([.char("u")], .stepOpen, .guide, "mark the step open again", .hint),
    KeyBinding([.enter], .open, .guide, "the picked evidence line's events, else edit the step's note", .hint),
    KeyBinding([.char("e")], .editStepNote, .guide, "edit the step's note"),
    KeyBinding([.char("a")], .acknowledge, .guide, "acknowledge the alert"),
    KeyBinding([.char("c")], .close, .guide, "close the alert… (asks for a reason)"),
    KeyBinding([.char("o")], .reopen, .guide, "reopen the alert"),
    KeyBinding([.char("x")], .proposeExclusion, .guide, "exclude events like this one…"),
    KeyBinding([.char("p")], .pinEvidence, .guide, "pin the step's evidence into its note", .hint),
    KeyBinding([.char("E")], .showStepEvents, .guide, "open the events behind the step's evidence (or the picked line's)", .hint),
    KeyBinding([.char("]")], .nextEvidenceLine, .guide, "pick the next evidence line (Enter opens its events)"),
    KeyBinding([.char("[")], .previousEvidenceLine, .guide, "pick the previous evidence line"),
    KeyBinding([.char("z")], .toggleEvidence, .guide, "fold or unfold the evidence"),

    KeyBinding([.enter], .open, .events, "show the event", .hint),

    // A related event is evidence, not the alert: status, notes and exclusions belong to the alert
    // (Esc goes back to it), so only reading keys act here.
    KeyBinding([.char("y"), .enter], .copyValue, .relatedEvent, "copy the value (OSC 52) and show it whole", .hint),

    KeyBinding([.char(" "), .char("t")], .toggleExclusion, .exclusionList, "enable / disable", .hint),
    KeyBinding([.char("D"), .delete], .deleteExclusion, .exclusionList, "delete", .hint),
    KeyBinding([.enter, .char("e")], .open, .exclusionList, "edit", .hint),

    KeyBinding([.ctrl("s")], .saveExclusion, .exclusionForm, "save the exclusion", .hint),
    KeyBinding([.tab, .down], .nextField, .exclusionForm, "next field", .hint),
    KeyBinding([.backTab, .up], .previousField, .exclusionForm, "previous field"),
    KeyBinding([.ctrl("o")], .cycleOperator, .exclusionForm, "operator: is, is one of, matches, exists", .hint),
    KeyBinding([.ctrl("t")], .toggleScope, .exclusionForm, "scope: this rule or both rules", .hint),
    KeyBinding([.escape], .back, .exclusionForm, "cancel", .hint),

    KeyBinding([.ctrl("s")], .saveEditor, .noteEditor, "save the note", .hint),
    KeyBinding([.escape], .cancelEditor, .noteEditor, "cancel (asks first if you changed anything)", .hint),
    KeyBinding([.up, .down, .left, .right, .home, .end], .edit(.left), .noteEditor, "move the cursor", .hidden),

    KeyBinding([.char("j"), .down], .moveDown, .picker, "next choice"),
    KeyBinding([.char("k"), .up], .moveUp, .picker, "previous choice"),
    KeyBinding([.enter], .open, .picker, "choose", .hint),
    KeyBinding([.escape, .char("q")], .back, .picker, "cancel", .hint),

    KeyBinding([.char("j"), .down], .moveDown, .valueView, "scroll down", .hint),
    KeyBinding([.char("k"), .up], .moveUp, .valueView, "scroll up", .hint),
    KeyBinding([.wheelDown], .moveDown, .valueView, "scroll down", .hidden),
    KeyBinding([.wheelUp], .moveUp, .valueView, "scroll up", .hidden),
    KeyBinding([.pageDown, .ctrl("f"), .ctrl("d"), .char(" ")], .pageDown, .valueView, "page down", .hint),
    KeyBinding([.pageUp, .ctrl("b"), .ctrl("u")], .pageUp, .valueView, "page up"),
    KeyBinding([.home, .char("g")], .top, .valueView, "top"),
    KeyBinding([.end, .char("G")], .bottom, .valueView, "end"),
    KeyBinding([.escape, .char("q")], .back, .valueView, "close (so does any other key)", .hint),
  ]

  /// The action for a key in a scope, falling back to `.global` where keys are not text.
  public static func action(for key: Key, in scope: Scope) -> Action? {
    if let binding = bindings.first(where: { $0.scope == scope && $0.keys.contains(key) }) {
      if case .edit = binding.action { return .edit(key) }
      return binding.action
    }
    guard scope.fallsBackToGlobal else { return nil }
    return bindings.first { $0.scope == .global && $0.keys.contains(key) }?.action
  }

  /// Bindings shown in help, grouped by scope in a fixed order.
  public static func helpSections() -> [(scope: Scope, bindings: [KeyBinding])] {
    Scope.allCases.compactMap { scope in
      let rows = bindings.filter { $0.scope == scope && $0.visibility != .hidden }
      return rows.isEmpty ? nil : (scope, rows)
    }
  }

  /// Status-bar hints for a scope.
  public static func hints(for scope: Scope) -> [KeyBinding] {
    let own = bindings.filter { $0.scope == scope && $0.visibility == .hint }
    guard scope.fallsBackToGlobal else { return own }
    return own + bindings.filter { $0.scope == .global && $0.visibility == .hint }
  }
}
