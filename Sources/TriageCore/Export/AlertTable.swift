/// A plain-text table of alerts for `detect --format table`. It is written for people, on a
/// terminal or through `tee`, `less -R` or a file later `cat`ed, so every log-derived cell goes
/// through `TerminalSanitizer` wherever it is printed; the raw values are in the JSON formats.
public enum AlertTable {
  /// `exclusionNames`: by exclusion id, the name to show for a suppressed alert.
  public static func render(_ alerts: [Alert], exclusionNames: [String: String] = [:]) -> String {
    var header = ["TIME", "SEV", "RULE", "FUNCTION", "PRINCIPAL", "SOURCE", "ASN ORG"]
    // Alerts an exclusion suppressed (`--show-excluded`) say so, by the exclusion's name.
    let showsExclusions = alerts.contains { $0.string("lambda_triage.excluded_by") != nil }
    if showsExclusions { header.append("EXCLUDED BY") }
    var rows: [[String]] = [header]
    for alert in alerts {
      var row = [
        String(alert.originalTime.prefix(19)).replacing("T", with: " "),
        alert.severity,
        alert.rule?.shortName ?? alert.ruleName,
        AlertFacts.functionName(alert) ?? "-",
        AlertFacts.principal(alert) ?? "-",
        alert.string("source.ip") ?? alert.string("source.address") ?? "-",
        alert.string("source.as.organization.name") ?? "-",
      ]
      if showsExclusions {
        let id = alert.string("lambda_triage.excluded_by")
        row.append(id.map { exclusionNames[$0].flatMap { $0.isEmpty ? nil : $0 } ?? $0 } ?? "-")
      }
      rows.append(row.map { cell in
        let clean = TerminalSanitizer.sanitize(cell)
        return clean.count > 48 ? String(clean.prefix(47)) + "…" : clean
      })
    }
    var widths = [Int](repeating: 0, count: header.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    var out = ""
    for row in rows {
      let padded = row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count) }
      out += padded.joined(separator: "  ") + "\n"
    }
    if alerts.isEmpty { out += "(no alerts)\n" }
    return out
  }
}
