import Foundation
import TriageConsole
import TriageCore
import CSupport

/// Measures the console's update/render core with N alerts on the in-memory screen: the time to
/// the first frame (indexing the session, the row outlines, sorting, drawing), the time until
/// every row is built, and the time to answer each kind of key (update plus a full frame), as
/// the median and worst of repeated presses, before and after the rows are complete.
///
///   lambda-triage-console-bench [ALERTS]      (default 100000; run from a release build)
@main
struct ConsoleBench {
  static func main() {
    // The allocator settings of the real binary (freed buffers kept for reuse), so the frames
    // are timed as the console runs them.
    lt_keep_freed_memory()
    let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 100_000
    let alerts = (0..<count).map(makeAlert)
    let size = Size(rows: 50, cols: 200)
    var screen = MemoryScreen(cols: size.cols, rows: size.rows)

    var session: TriageSession!
    let sessionTime = time { session = TriageSession(alerts: alerts) }
    var rows: [AlertRow] = []
    let rowsTime = time { rows = alerts.map { AlertRow($0) } }
    _ = rows
    print(String(format: "session: %.1f ms, every AlertRow at once: %.1f ms", sessionTime * 1000, rowsTime * 1000))
    _ = session
    var state: ConsoleState!
    // The machine's speed wanders: the first frame is timed five times, median and worst shown.
    // The first frame counts everything done before it is drawn (the session, the row outlines,
    // the list); the rows it skipped are then completed as the run loop does it on a worker
    // thread, timed from the start, so "all rows ready" is when no key can wait for rows.
    var firsts: [Double] = []
    var readies: [Double] = []
    for _ in 0..<5 {
      state = nil
      let start = DispatchTime.now().uptimeNanoseconds
      state = ConsoleState(session: TriageSession(alerts: alerts), statePath: "bench.json", author: "bench", size: size)
      ConsoleView.render(state, into: &screen)
      firsts.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      complete(&state)
      readies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    // The first is the one a user sees (a console draws one first frame); the others show the spread.
    print("first frames in order: " + firsts.map { String(format: "%.1f", $0 * 1000) }.joined(separator: ", ") + " ms")
    firsts.sort()
    readies.sort()
    print("alerts: \(count)")
    print(String(format: "first frame: %.1f ms (median of 5; worst %.1f ms)", firsts[2] * 1000, firsts[4] * 1000))
    print(String(format: "all rows ready: %.1f ms after the start (median of 5; worst %.1f ms)", readies[2] * 1000, readies[4] * 1000))
    keysBeforeCompletion(alerts, size: size, screen: &screen)
    print("Keys once the rows are ready:")
    print("| key | median ms | worst ms |")
    print("|---|---:|---:|")
    let now = "2026-11-23T00:00:00.000Z"
    let cases: [(String, [Key])] = [
      ("j (move down)", [.char("j")]),
      ("PgDn", [.pageDown]),
      ("G / Home (jump)", [.char("G"), .home]),
      ("s (sort by next column)", [.char("s")]),
      ("S (reverse sort)", [.char("S")]),
      ("/ typing a search char", [.char("/"), .char("h"), .escape]),
      ("n (next match)", [.char("n")]),
      ("Enter, Esc (detail and back)", [.enter, .escape]),
      ("g, Esc (guide and back)", [.char("g"), .escape]),
      ("a (acknowledge; save is the run loop's)", [.char("a")]),
    ]
    _ = state.handle(.char("/"), now: now)
    for c in "orders" { _ = state.handle(.char(c), now: now) }
    _ = state.handle(.enter, now: now)
    for (name, keys) in cases {
      var samples: [Double] = []
      for _ in 0..<30 {
        for key in keys {
          samples.append(time {
            _ = state.handle(key, now: now)
            ConsoleView.render(state, into: &screen)
          })
        }
      }
      samples.sort()
      print(String(format: "| %@ | %.2f | %.2f |", name, samples[samples.count / 2] * 1000, samples.last! * 1000))
    }
    paste(into: &state, screen: &screen)
  }

  /// A 100 KB paste into a note arrives as 100,000 keys; the run loop handles the keys waiting
  /// and draws once. Then one key typed into that note, with its frame. Both were quadratic in
  /// the note's length before the editor changed its text in place.
  static func paste(into state: inout ConsoleState, screen: inout MemoryScreen) {
    let now = "2026-11-23T00:00:00.000Z"
    let text = (0..<100_000).map { i -> Character in i % 80 == 79 ? "\n" : Character(UnicodeScalar(UInt8(97 + i % 23))) }
    _ = state.handle(.escape, now: now)
    _ = state.handle(.enter, now: now)
    _ = state.handle(.char("e"), now: now)
    let pasted = time {
      for c in text { _ = state.handle(c == "\n" ? .enter : .char(c), now: now) }
      ConsoleView.render(state, into: &screen)
    }
    var typed: [Double] = []
    for _ in 0..<30 {
      typed.append(time {
        _ = state.handle(.char("x"), now: now)
        ConsoleView.render(state, into: &screen)
      })
    }
    typed.sort()
    print(String(format: "paste of 100 KB into a note (100,000 keys, one frame): %.1f ms; a key typed into that note, with its frame: median %.2f ms, worst %.2f ms", pasted * 1000, typed[15] * 1000, typed[29] * 1000))
    _ = state.handle(.ctrl("s"), now: now)
  }

  /// Runs the work the first frame left, as the run loop's worker does, and hands it back.
  static func complete(_ state: inout ConsoleState) {
    for effect in state.startEffects {
      guard case .completeRows(let completion) = effect else { continue }
      _ = state.update(.rowsCompleted(completion.run()), now: "2026-11-23T00:00:00.000Z")
    }
  }

  /// Keys pressed right after the first frame, before the worker has delivered. A key that needs
  /// every row (search, the principal or function sort) does not build them: it waits for the
  /// worker's rows (the status line says so) and is replayed when they arrive, which is timed too.
  static func keysBeforeCompletion(_ alerts: [Alert], size: Size, screen: inout MemoryScreen) {
    let now = "2026-11-23T00:00:00.000Z"
    let s = Key.char("s")
    let cases: [(String, [Key])] = [
      ("j (move down)", [.char("j")]),
      ("G (jump to the end)", [.char("G")]),
      ("s (sort by severity)", [s]),
      ("s, s (by rule)", [s, s]),
      ("s, s, s (by principal: waits for the rows)", [s, s, s]),
      ("s x4 (by function, after the waiting principal sort)", [s, s, s, s]),
      ("/ h (first search character: its match waits)", [.char("/"), .char("h")]),
      ("/ h e (second character)", [.char("/"), .char("h"), .char("e")]),
      ("/ h Backspace", [.char("/"), .char("h"), .backspace]),
      ("/ h Enter (leaves the prompt: waits)", [.char("/"), .char("h"), .enter]),
      ("/ h Enter n (after a waiting key)", [.char("/"), .char("h"), .enter, .char("n")]),
    ]
    print("Keys right after the first frame, before the rows are complete (median of 5, fresh console each; the last key is timed, with its frame):")
    print("| key | median ms | worst ms | then the rows arriving: median ms | worst ms |")
    print("|---|---:|---:|---:|---:|")
    var worst = 0.0
    for (name, keys) in cases {
      var samples: [Double] = []
      var arrivals: [Double] = []
      for _ in 0..<5 {
        var state = ConsoleState(session: TriageSession(alerts: alerts), statePath: "bench.json", author: "bench", size: size)
        let pending = state.startEffects
        ConsoleView.render(state, into: &screen)
        for key in keys.dropLast() {
          _ = state.handle(key, now: now)
          ConsoleView.render(state, into: &screen)
        }
        samples.append(time {
          _ = state.handle(keys.last!, now: now)
          ConsoleView.render(state, into: &screen)
        })
        // The worker's rows, built outside the timing; taking them in replays what waited.
        let completed = pending.compactMap { effect -> CompletedRows? in
          guard case .completeRows(let completion) = effect else { return nil }
          return completion.run()
        }
        arrivals.append(time {
          for rows in completed { _ = state.update(.rowsCompleted(rows), now: now) }
          ConsoleView.render(state, into: &screen)
        })
      }
      samples.sort()
      arrivals.sort()
      worst = max(worst, samples[4])
      print(String(format: "| %@ | %.2f | %.2f | %.2f | %.2f |", name, samples[2] * 1000, samples[4] * 1000, arrivals[2] * 1000, arrivals[4] * 1000))
    }
    print(String(format: "worst key before the rows are complete: %.2f ms (target 10 ms)", worst * 1000))
  }

  static func time(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }

  /// Alerts shaped like the detection's (the event's ECS fields nested, then the `kibana.alert.*`
  /// fields as dotted top-level keys), with varied principals, functions and networks.
  static func makeAlert(_ i: Int) -> Alert {
    let rule = BuiltinRules.all[i % 2]
    var d = JSONObject()
    let event: [(String, String)] = [
      ("@timestamp", Timestamp.format(millis: 1_762_000_000_000 + Int64(i) * 7_919)), ("ecs.version", "8.11.0"),
      ("event.action", i % 2 == 0 ? "CreateFunctionUrlConfig20211031" : "Invoke"), ("event.provider", "lambda.amazonaws.com"),
      ("event.outcome", "success"), ("event.id", String(format: "%08x-0000-4000-8000-%012x", i, i)),
      ("data_stream.dataset", "aws.cloudtrail"), ("cloud.account.id", "111122223333"), ("cloud.region", "eu-west-1"),
      ("aws.cloudtrail.user_identity.type", "AssumedRole"),
      ("aws.cloudtrail.user_identity.arn", "arn:aws:sts::111122223333:assumed-role/role-\(i % 977)/s"),
      ("aws.cloudtrail.request_parameters", "{functionName=fn-\(i % 4099), authType=NONE}"),
      ("user.name", "principal-\(i % 977)"), ("source.address", "203.0.\(i % 256).\((i / 256) % 256)"),
      ("source.ip", "203.0.\(i % 256).\((i / 256) % 256)"),
      ("source.as.organization.name", ["Hetzner Online GmbH", "M247 Europe SRL", "COMCAST-7922", "DigitalOcean, LLC"][i % 4]),
      ("user_agent.original", "aws-cli/2.17.\(i % 60)"),
    ]
    for (path, value) in event { d.set(path: path, .string(value)) }
    d.set(path: "aws.cloudtrail.flattened.request_parameters", .object(JSONObject([
      JSONMember("functionName", .string("fn-\(i % 4099)")), JSONMember("authType", .string("NONE")),
    ])))
    let alert: [(String, String)] = [
      ("kibana.alert.original_event", "{}"), ("kibana.alert.uuid", String(format: "%064x", i)),
      ("kibana.alert.status", "active"), ("kibana.alert.workflow_status", "open"),
      ("kibana.alert.original_time", Timestamp.format(millis: 1_762_000_000_000 + Int64(i) * 7_919)),
      ("kibana.alert.reason", "event by principal-\(i % 977) created alert"),
      ("kibana.alert.severity", rule.severity), ("kibana.alert.risk_score", String(rule.riskScore)),
      ("kibana.alert.rule.name", rule.name), ("kibana.alert.rule.rule_id", rule.ruleID),
      ("kibana.alert.rule.uuid", rule.ruleID), ("kibana.alert.rule.type", rule.kind == .eql ? "eql" : "new_terms"),
    ]
    for (key, value) in alert { d.members.append(JSONMember(key, .string(value))) }
    return Alert(document: d)
  }
}
