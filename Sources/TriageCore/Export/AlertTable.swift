/// A plain-text table of alerts for `detect --format table`. Every log-derived cell goes through
/// `TerminalSanitizer`, since this is printed straight to a terminal.
public enum AlertTable {
  public static func render(_ alerts: [Alert], sanitize: Bool) -> String {
    let header = ["TIME", "SEV", "RULE", "FUNCTION", "PRINCIPAL", "SOURCE", "ASN ORG"]
    var rows: [[String]] = [header]
    for alert in alerts {
      let row = [
        String(alert.originalTime.prefix(19)).replacing("T", with: " "),
        alert.severity,
        alert.rule?.shortName ?? alert.ruleName,
        AlertFacts.functionName(alert) ?? "-",
        AlertFacts.principal(alert) ?? "-",
        alert.string("source.ip") ?? alert.string("source.address") ?? "-",
        alert.string("source.as.organization.name") ?? "-",
      ].map { cell in
        let clean = sanitize ? TerminalSanitizer.sanitize(cell) : cell
        return clean.count > 48 ? String(clean.prefix(47)) + "…" : clean
      }
      rows.append(row)
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
