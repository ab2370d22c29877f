import Foundation
import Testing
@testable import TriageCore

@Suite("Alert and report exports")
struct TriageExportTests {
  func session() throws -> TriageSession {
    let alertJSON = #"{"@timestamp":"2026-11-08T10:20:00.000Z","kibana.alert.uuid":"u1","kibana.alert.rule.name":"AWS Lambda Function URL Created with Public Access","kibana.alert.rule.rule_id":"53bb8f53-3550-4805-b6bd-728ded8d5564","kibana.alert.severity":"high","kibana.alert.risk_score":73,"kibana.alert.original_time":"2026-11-08T10:15:00.000Z","kibana.alert.workflow_status":"open","source":{"ip":"203.0.113.9","as":{"number":64500,"organization":{"name":"Evil | [link](http://x) <b>"}}},"user":{"name":"alice"},"aws":{"cloudtrail":{"request_parameters":"{functionName=report-gen, authType=NONE}","flattened":{"request_parameters":{"functionName":"report-gen","authType":"NONE"}}}}}"#
    var session = TriageSession(alerts: [Alert(document: try JSONParser.parse(alertJSON).objectValue!)], inputs: ["Samples/"])
    session.setStatus(.closed, reason: .falsePositive, for: ["u1"], at: "2026-11-20T10:00:00Z")
    session.setStepStatus(.done, step: "step-1", for: "u1", at: "2026-11-20T10:00:00Z")
    session.setStepNote("CI role from the build VPC", step: "step-1", for: "u1", at: "2026-11-20T10:00:00Z")
    session.addNote("Webhook approved in CHG-1234", author: "alice", for: "u1", at: "2026-11-20T10:01:00Z")
    return session
  }

  @Test("detect's table escapes what a log could send to a terminal, wherever it goes, and names the exclusion of a suppressed alert")
  func table() throws {
    let hostile = #"{"kibana.alert.uuid":"u2","kibana.alert.rule.name":"x","kibana.alert.rule.rule_id":"53bb8f53-3550-4805-b6bd-728ded8d5564","kibana.alert.severity":"high","kibana.alert.original_time":"2026-11-08T10:15:00.000Z","source":{"ip":"203.0.113.9"},"aws":{"cloudtrail":{"flattened":{"request_parameters":{"functionName":"fn\u001b[31mRED\u001b]0;PWNED\u0007\u202e"}}}},"lambda_triage.excluded_by":"CI runners"}"#
    let alerts = try [session().alerts[0], Alert(document: JSONParser.parse(hostile).objectValue!)]
    let text = AlertTable.render(alerts)
    #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
    #expect(text.contains(#"fn\x1b[31mRED\x1b]0;PWNED\x07\u202e"#))
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines[0].hasPrefix("TIME") && lines[0].hasSuffix("  EXCLUDED BY"))
    #expect(lines[1].hasSuffix(" -") && lines[2].hasSuffix(" CI runners"))
    // The exclusion's name, where detect knows it (the document holds its id).
    #expect(AlertTable.render(alerts, exclusionNames: ["CI runners": "office NAT"]).split(separator: "\n")[2].hasSuffix(" office NAT"))
    // An exclusion without a name is shown by its id.
    #expect(AlertTable.render(alerts, exclusionNames: ["CI runners": ""]).split(separator: "\n")[2].hasSuffix(" CI runners"))
    // Without suppressed alerts there is no such column.
    #expect(!AlertTable.render([alerts[0]]).contains("EXCLUDED BY"))
  }

  @Test("exported alerts carry Kibana's workflow fields and the notes")
  func alerts() throws {
    let line = AlertExport.ndjson(try session()).split(separator: "\n")
    #expect(line.count == 1)
    let doc = try JSONParser.parse(String(line[0])).objectValue!
    #expect(doc["kibana.alert.workflow_status"] == .string("closed"))
    #expect(doc["kibana.alert.workflow_reason"] == .string("false_positive"))
    #expect(doc[path: "lambda_triage.notes"]?.arrayValue?.first?[path: "text"] == .string("Webhook approved in CHG-1234"))
    #expect(doc[path: "lambda_triage.guide_steps"]?.arrayValue?.first?[path: "status"] == .string("done"))
  }

  @Test("detect's NDJSON, written on every core, is one line per alert in the alerts' order")
  func detectNDJSON() throws {
    let report = try Detection.run({
      var options = DetectionOptions(paths: [SamplesTests.samples.path])
      options.environment = [:]
      options.standardDatabaseDirectories = []
      return options
    }())
    #expect(report.alerts.count > 5)
    var batches: [String] = []
    AlertExport.writeNDJSON(report.alerts, batch: 5) { batches.append($0) }  // several batches and a partial one
    let text = batches.joined()
    #expect(batches.count == (report.alerts.count + 4) / 5)
    #expect(report.alerts.count % 5 != 0 && report.alerts.count > 10)
    #expect(text == report.alerts.map { JSONWriter.compact(.object($0.document)) + "\n" }.joined())
    #expect(text.split(separator: "\n").map { try? JSONParser.parse(String($0)).objectValue?["kibana.alert.uuid"] } == report.alerts.map { .string($0.uuid) })
    var none: [String] = []
    AlertExport.writeNDJSON([]) { none.append($0) }
    #expect(none.isEmpty)
  }

  @Test("the Markdown report lists the decision and the steps, and log values cannot inject Markdown")
  func markdown() throws {
    let report = TriageReport.markdown(try session())
    #expect(report.contains("| 1 | closed (false positive) | high | Public function URL | 2026-11-08T10:15:00.000Z | report-gen | alice | 203.0.113.9 | Evil \\| \\[link\\](http\\://x) \\<b\\> |"))
    #expect(report.contains("1. [x] Who made the change, and from where? (done)"))
    #expect(report.contains("   > CI role from the build VPC"))
    #expect(report.contains("alice: Webhook approved in CHG-1234"))
    #expect(!report.contains("<b>"))
    // No link: its bracket is escaped (parentheses alone start nothing, so they stay readable).
    #expect(!report.contains(" [link]") && report.contains("\\[link\\](http\\://x)"))
  }

  @Test("only what starts Markdown is escaped: a heading or list marker at the start of a note line, not inside text")
  func escaping() {
    #expect(Markdown.text("medium (risk 47) Botocore#1.35 a-b+c {x} !") == "medium (risk 47) Botocore#1.35 a-b+c {x} !")
    #expect(Markdown.text("# heading", startsLine: true) == "\\# heading" && Markdown.text("- item", startsLine: true) == "\\- item" && Markdown.text("+ item", startsLine: true) == "\\+ item")
    // Mid-line (a fact after its label, a table cell) these start nothing.
    #expect(Markdown.text("# 1. - x") == "# 1. - x")
    // Bare URLs would be links on GitHub; escaped, they read the same and link nowhere.
    #expect(Markdown.text("curl/8 https://evil.example/x and www.evil.example") == "curl/8 https\\://evil.example/x and www\\.evil.example")
    #expect(Markdown.text("![img](x) <i> &amp; `c` *e* _u_ ~s~ a|b \\") == "!\\[img\\](x) \\<i\\> \\&amp; \\`c\\` \\*e\\* \\_u\\_ \\~s\\~ a\\|b \\\\")
    #expect(Markdown.lines("ok\n# not a heading\n- nor a list", continuation: "> ") == "ok  \n> \\# not a heading  \n> \\- nor a list")
    // Indented, ordered, or an underline: still text. Dates and numbers inside text stay as they are.
    #expect(Markdown.text("  # Close this as a false positive", startsLine: true) == "  \\# Close this as a false positive")
    #expect(Markdown.text("1. numbered", startsLine: true) == "1\\. numbered" && Markdown.text("12) item", startsLine: true) == "12\\) item" && Markdown.text("===", startsLine: true) == "\\===")
    #expect(Markdown.text("2026-11-10 09:00, 1.5 s", startsLine: true) == "2026-11-10 09:00, 1.5 s")
  }

  @Test("notes of several lines stay lines in the Markdown report, each escaped")
  func multiLineNotes() throws {
    var session = try session()
    session.setStepNote("first line\n**second** line\r\n\u{1b}[31mpinned", step: "step-1", for: "u1", at: "2026-11-20T10:00:00Z")
    session.addNote("two\nlines", author: "bob", for: "u1", at: "2026-11-20T10:02:00Z")
    let report = TriageReport.markdown(session)
    #expect(report.contains("   > first line  \n   > \\*\\*second\\*\\* line  \n   > \\\\x1b\\[31mpinned\n"))
    #expect(report.contains("bob: two  \n  lines\n"))
    #expect(!report.contains("\\n"))
  }
}
