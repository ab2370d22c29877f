/// An open note editor: what it writes to, the text, and whether it is asking to discard changes.
public struct NoteEditorState: Sendable, Equatable {
  public enum Target: Sendable, Equatable {
    /// A new timestamped entry in the alert's notes.
    case alertNote(uuid: String)
    /// The note of one guide step (replaced as a whole).
    case stepNote(uuid: String, step: String, title: String)

    public var uuid: String {
      switch self {
      case .alertNote(let uuid), .stepNote(let uuid, _, _): return uuid
      }
    }

    /// The key drafts are stored under in the session.
    public var draftKey: String {
      switch self {
      case .alertNote: return "note"
      case .stepNote(_, let step, _): return step
      }
    }
  }

  public var target: Target
  public var buffer: TextBuffer
  /// The text the editor opened with; Esc asks before discarding anything else.
  public var original: String
  public var isConfirmingDiscard = false

  public init(target: Target, text: String, original: String? = nil) {
    self.target = target
    buffer = TextBuffer(text)
    self.original = original ?? text
  }

  public var hasChanges: Bool { buffer.text != original }
}
