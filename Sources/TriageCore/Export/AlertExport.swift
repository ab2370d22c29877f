/// `export alerts`: the session's alerts as Kibana alert documents carrying the analyst's
/// workflow status and reason in Kibana's own fields, plus the notes and guide progress.
public enum AlertExport {
  public static func document(_ alert: Alert, in session: TriageSession) -> JSONObject {
    var document = alert.document
    let state = session.state(of: alert.uuid)
    document["kibana.alert.workflow_status"] = .string(state.status.rawValue)
    // Kibana removes the reason when an alert is reopened; only closed alerts carry one.
    if state.status == .closed, let reason = state.reason {
      document["kibana.alert.workflow_reason"] = .string(reason.rawValue)
    } else {
      document["kibana.alert.workflow_reason"] = nil
    }
    if !state.notes.isEmpty {
      document["lambda_triage.notes"] = .array(state.notes.map { note in
        .object(JSONObject([JSONMember("author", .string(note.author)), JSONMember("created_at", .string(note.createdAt)), JSONMember("text", .string(note.text))]))
      })
    }
    if let guide = alert.rule?.guide {
      let steps: [JSONValue] = guide.steps.map { step in
        let s = state.step(step.key)
        return .object(JSONObject([
          JSONMember("key", .string(step.key)), JSONMember("title", .string(step.title)),
          JSONMember("status", .string(s.status.rawValue)), JSONMember("note", .string(s.note)),
        ]))
      }
      document["lambda_triage.guide_steps"] = .array(steps)
    }
    return document
  }

  public static func ndjson(_ session: TriageSession) -> String {
    session.alerts.map { JSONWriter.compact(.object(document($0, in: session))) + "\n" }.joined()
  }

  /// `detect`'s NDJSON: one alert document per line, serialised on every core (with hundreds of
  /// alerts of full ECS, writing them one after another was most of the run's serial tail) and
  /// handed to `write` a batch at a time, so the text is never held whole.
  public static func writeNDJSON(_ alerts: [Alert], batch: Int = 64, to write: (String) -> Void) {
    var start = 0
    while start < alerts.count {
      let first = start, count = min(batch, alerts.count - start)
      let lines = ParallelMap.outcomes(count: count) { k in JSONWriter.compact(.object(alerts[first + k].document)) + "\n" }
      write(lines.map { $0.get() }.joined())
      start += count
    }
  }

}
