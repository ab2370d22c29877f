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
  private let pending = PendingResults()

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
    // The first frame is up: the rows it skipped are built while the analyst reads it.
    _ = perform(state.startEffects, on: &state)
    while true {
      if lt_take_termination_signal() != 0 {
        leave(&state)
        return state
      }
      // Evidence (which scans the logs) and the rows the first frame skipped are built on worker
      // threads; keys keep working meanwhile. Keys that waited for the rows are replayed when
      // they arrive, so their effects (a save, a quit) are performed here too.
      let arrived = pending.take()
      for action in arrived {
        if perform(state.update(action, now: clock()), on: &state) == .quit { return state }
      }
      if !arrived.isEmpty { draw(state) }
      guard let event = terminal.read(timeoutMilliseconds: pending.isEmpty ? 250 : 50) else { continue }
      if handle(event, on: &state) == .quit { return state }
      // Keys already waiting are handled before the next frame: a paste arrives as thousands of
      // keys, and a frame after each made pasting take time quadratic in its length.
      // A read gives nothing for a key it drops (the LF of a pasted CR LF, an unknown key) as
      // well as when none waits: one more read tells them apart.
      var waiting = 0, empty = 0
      while waiting < 65_536, empty < 2, lt_peek_termination_signal() == 0 {
        guard let next = terminal.read(timeoutMilliseconds: 0) else {
          empty += 1
          continue
        }
        empty = 0
        if handle(next, on: &state) == .quit { return state }
        waiting += 1
      }
      draw(state)
    }
  }

  private func handle(_ event: CursesTerminal.Event, on state: inout ConsoleState) -> Outcome {
    let effects: [Effect]
    switch event {
    case .resize(let size):
      effects = state.update(.resize(size), now: clock())
    case .key(.ctrl("c")):
      leave(&state)
      return .quit
    case .key(let key):
      effects = state.handle(key, now: clock())
    }
    return perform(effects, on: &state)
  }

  private enum Outcome { case proceed, quit }

  private func perform(_ effects: [Effect], on state: inout ConsoleState) -> Outcome {
    var outcome = Outcome.proceed
    for effect in effects {
      switch effect {
      case .save(let session):
        _ = state.update(.saved(error: save(session)), now: clock())
      case .collectEvidence(let uuid):
        guard let alert = state.session.alert(uuid: uuid) else { break }
        let provider = evidence
        work { .evidence(uuid: uuid, provider(alert)) }
      case .completeRows(let completion):
        work { .rowsCompleted(completion.run()) }
      case .copy(let text):
        terminal.copyToClipboard(text)
      case .redraw:
        terminal.invalidate()
      case .quit:
        outcome = .quit
      }
    }
    return outcome
  }

  /// Runs `job` on a worker thread and hands its action to the loop.
  private func work(_ job: @escaping @Sendable () -> Action) {
    let pending = self.pending
    pending.start()
    let worker = Thread { pending.finish(job()) }
    worker.stackSize = 8 << 20
    worker.start()
  }

  /// Keeps unsaved editor text as a draft and saves, so closing the terminal loses nothing.
  private func leave(_ state: inout ConsoleState) {
    let replayed = state.finishWaitingKeys()
    let changed = replayed.contains { if case .save = $0 { true } else { false } }
    if state.preserveDraft() || changed { _ = save(state.session) }
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

/// Results of worker threads (evidence, completed rows), handed to the run loop as actions.
final class PendingResults: @unchecked Sendable {
  private let lock = NSLock()
  private var running = 0
  private var results: [Action] = []

  func start() { lock.withLock { running += 1 } }

  func finish(_ result: Action) {
    lock.withLock {
      running -= 1
      results.append(result)
    }
  }

  /// Results that arrived since the last call.
  func take() -> [Action] {
    lock.withLock {
      defer { results.removeAll() }
      return results
    }
  }

  var isEmpty: Bool { lock.withLock { running == 0 && results.isEmpty } }
}
