import TriageCore

/// The exclusion being written: which proposal it started from, its conditions (operator and
/// value text each), scope, and the required comment. Typing goes to the focused text field;
/// commands are control keys, so any text can be typed.
public struct ExclusionFormState: Sendable, Equatable {
  public enum Operator: String, Sendable, Equatable, CaseIterable {
    case isValue = "is", isOneOf = "is one of", matches = "matches", exists = "exists"
  }

  public struct Condition: Sendable, Equatable {
    public var field: String
    public var op: Operator
    /// For "is one of", values separated by commas (`ValueList`: quoted when one holds a comma).
    public var value: String
    /// The list as it was when Ctrl-O left "is one of", and the value it left behind: cycling
    /// back to the list with that value untouched restores the list whole.
    var leftList: String? = nil
    var leftValue: String? = nil
  }

  public enum Stage: Sendable, Equatable {
    /// Picking one of the proposals.
    case choose
    case form
  }

  public enum Scope: Sendable, Equatable { case thisRule, allRules }

  /// The alert it was proposed from (its rule is "this rule").
  public var uuid: String
  public var ruleID: String
  public var proposals: [ExclusionProposal]
  public var stage: Stage = .choose
  public var choice = ScrollState()
  public var conditions: [Condition] = []
  public var scope: Scope = .thisRule
  public var comment = ""
  /// The focused field: a condition's value (0..<conditions.count) or the comment (conditions.count).
  public var focus = 0
  /// Set when editing an existing exclusion (from the list), so saving replaces it.
  public var editingID: String?
  /// Esc on a changed form asks first, as the note editor does: what was typed is not thrown away
  /// by one key.
  public var isConfirmingDiscard = false
  /// The form as it opened, to tell whether anything was changed.
  private var opened: [String] = []

  private var snapshot: [String] {
    conditions.map { "\($0.field)\u{0}\($0.op.rawValue)\u{0}\($0.value)" } + [comment, scope == .allRules ? "all" : "this"]
  }

  public var hasChanges: Bool { stage == .form && snapshot != opened }

  public init(uuid: String, ruleID: String, proposals: [ExclusionProposal]) {
    self.uuid = uuid
    self.ruleID = ruleID
    self.proposals = proposals
  }

  public init(editing exclusion: Exclusion) {
    uuid = ""
    ruleID = exclusion.ruleIDs.first ?? ""
    proposals = []
    stage = .form
    conditions = exclusion.entries.map(Self.condition)
    scope = exclusion.ruleIDs.count > 1 ? .allRules : .thisRule
    comment = exclusion.comment
    focus = conditions.count
    editingID = exclusion.id
    opened = snapshot
  }

  /// Starts the form from the chosen proposal, with the cursor in the comment.
  public mutating func choose(_ index: Int) {
    guard proposals.indices.contains(index) else { return }
    conditions = proposals[index].entries.map(Self.condition)
    stage = .form
    focus = conditions.count
    opened = snapshot
  }

  static func condition(_ entry: ExclusionEntry) -> Condition {
    switch entry.kind {
    case .match(let v): return Condition(field: entry.field, op: .isValue, value: v)
    case .matchAny(let vs): return Condition(field: entry.field, op: .isOneOf, value: ValueList.join(vs))
    case .wildcard(let p): return Condition(field: entry.field, op: .matches, value: p)
    case .exists: return Condition(field: entry.field, op: .exists, value: "")
    }
  }

  public var isCommentFocused: Bool { focus >= conditions.count }

  /// The text of the focused field.
  public var focusedText: String {
    get { isCommentFocused ? comment : conditions[focus].value }
    set {
      if isCommentFocused { comment = newValue } else { conditions[focus].value = newValue }
    }
  }

  public mutating func cycleOperator() {
    guard !isCommentFocused else { return }
    let all = Operator.allCases
    let from = conditions[focus].op
    let to = all[(all.firstIndex(of: from)! + 1) % all.count]
    // The value keeps its meaning across the change: one value becomes a list of one (quoted if
    // it holds a comma), and a list of one becomes that value.
    var condition = conditions[focus]
    if from == .isOneOf {
      let values = ValueList.split(condition.value)
      condition.leftList = condition.value
      if values.count == 1 { condition.value = values[0] }
      condition.leftValue = condition.value
    } else if to == .isOneOf {
      if let list = condition.leftList, condition.leftValue == condition.value {
        condition.value = list
      } else if !condition.value.isEmpty {
        condition.value = ValueList.join([condition.value])
      }
      condition.leftList = nil
      condition.leftValue = nil
    }
    condition.op = to
    conditions[focus] = condition
  }

  /// The entries as Elastic will evaluate them; nil with the reason when one is incomplete.
  public func entries() -> Result<[ExclusionEntry], FormError> {
    var out: [ExclusionEntry] = []
    for condition in conditions {
      let value = condition.value
      switch condition.op {
      case .exists:
        out.append(ExclusionEntry(field: condition.field, kind: .exists))
      case .isValue:
        guard !value.isEmpty else { return .failure(FormError("\(condition.field) needs a value")) }
        out.append(ExclusionEntry(field: condition.field, kind: .match(value)))
      case .matches:
        guard !value.isEmpty else { return .failure(FormError("\(condition.field) needs a pattern")) }
        out.append(ExclusionEntry(field: condition.field, kind: .wildcard(value)))
      case .isOneOf:
        let values = ValueList.split(value)
        guard !values.isEmpty else { return .failure(FormError("\(condition.field) needs values, separated by commas (\"quoted\" if one has a comma)")) }
        out.append(ExclusionEntry(field: condition.field, kind: .matchAny(values)))
      }
    }
    return .success(out)
  }

  public func ruleIDs(allRules: [String]) -> [String] { scope == .allRules ? allRules : [ruleID] }

  /// The exclusion to save, or why it cannot be saved yet.
  public func exclusion(id: String, author: String, now: String, allRules: [String]) -> Result<Exclusion, FormError> {
    let entries: [ExclusionEntry]
    switch self.entries() {
    case .failure(let error): return .failure(error)
    case .success(let e): entries = e
    }
    guard !comment.allSatisfy(\.isWhitespace) else {
      return .failure(FormError("a comment is required: say why these events are safe"))
    }
    let name = entries.map(\.summary).joined(separator: " AND ")
    return .success(Exclusion(id: editingID ?? id, name: name, ruleIDs: ruleIDs(allRules: allRules), entries: entries, comment: comment, author: author, createdAt: now))
  }

  public struct FormError: Error, Sendable, Equatable {
    public let message: String
    init(_ message: String) { self.message = message }
  }
}

extension Substring {
  func trimmingSpaces() -> String {
    var s = self
    while s.first == " " { s.removeFirst() }
    while s.last == " " { s.removeLast() }
    return String(s)
  }
}
