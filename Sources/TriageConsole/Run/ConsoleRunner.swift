import CSupport
import Foundation
import TriageCore

/// The interactive loop: draws the state, turns keys into updates, performs the effects (every
/// change is saved at once), and on SIGHUP/SIGTERM/SIGINT keeps an open editor's text as a draft,
/// saves and leaves.
public final class ConsoleRunner {
  public typealias Saver = (TriageSession) -> String?
  /// Reads the logs for an alert's evidence.
  public typealias EvidenceProvider = @Sendable (Alert) -> EvidenceState

  private let terminal: CursesTerminal
  private let save: Saver
  private let clock: () -> String
  private let evidence: EvidenceProvider
  private let pending = PendingEvidence()

  /// `save` writes the session and returns nil, or the reason it failed.
  public init(terminal: CursesTerminal, save: @escaping Saver, evidence: @escaping EvidenceProvider, clock: @escaping () -> String = ConsoleRunner.now) {
    self.terminal = terminal
    self.save = save
    self.evidence = evidence
    self.clock = clock
  }

  /// Runs until the analyst quits or a termination signal arrives; returns the final state.
  public func run(_ initial: ConsoleState) -> ConsoleState {
    var state = initial
    _ = state.update(.resize(terminal.size), now: clock())
    draw(state)
    while true {
      if lt_take_termination_signal() != 0 {
        leave(&state)
        return state
      }
      // Evidence is read on a worker thread (it scans the logs); keys keep working meanwhile.
      let arrived = pending.take()
      for (uuid, result) in arrived { _ = state.update(.evidence(uuid: uuid, result), now: clock()) }
      if !arrived.isEmpty { draw(state) }
      guard let event = terminal.read(timeoutMilliseconds: pending.isEmpty ? 250 : 50) else { continue }
      let effects: [Effect]
      switch event {
      case .resize(let size):
        effects = state.update(.resize(size), now: clock())
      case .key(.ctrl("c")):
        leave(&state)
        return state
      case .key(let key):
        effects = state.handle(key, now: clock())
      }
      var quit = false
      for effect in effects {
        switch effect {
        case .save(let session):
          _ = state.update(.saved(error: save(session)), now: clock())
        case .collectEvidence(let uuid):
          guard let alert = state.session.alert(uuid: uuid) else { break }
          let provider = evidence
          let pending = self.pending
          pending.start()
          let worker = Thread { pending.finish(uuid, provider(alert)) }
          worker.stackSize = 8 << 20
          worker.start()
        case .copy(let text):
          terminal.copyToClipboard(text)
        case .redraw:
          terminal.invalidate()
        case .quit:
          quit = true
        }
      }
      if quit { return state }
      draw(state)
    }
  }

  /// Keeps unsaved editor text as a draft and saves, so closing the terminal loses nothing.
  private func leave(_ state: inout ConsoleState) {
    if state.preserveDraft() { _ = save(state.session) }
  }

  private func draw(_ state: ConsoleState) {
    var screen = terminal.screen()
    ConsoleView.render(state, into: &screen)
  }
}

extension ConsoleRunner {
  /// The current time as Kibana writes it (ISO 8601, milliseconds, UTC).
  public static func now() -> String { Timestamp.format(millis: Int64(Date().timeIntervalSince1970 * 1000)) }
}

/// Evidence results handed from worker threads to the run loop.
final class PendingEvidence: @unchecked Sendable {
  private let lock = NSLock()
  private var running = 0
  private var results: [(String, EvidenceState)] = []

  func start() { lock.withLock { running += 1 } }

  func finish(_ uuid: String, _ result: EvidenceState) {
    lock.withLock {
      running -= 1
      results.append((uuid, result))
    }
  }

  /// Results that arrived since the last call.
  func take() -> [(String, EvidenceState)] {
    lock.withLock {
      defer { results.removeAll() }
      return results
    }
  }

  var isEmpty: Bool { lock.withLock { running == 0 && results.isEmpty } }
}
