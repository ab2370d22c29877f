import Dispatch
import TriageCore

/// The list columns of an alert that depend only on its document: computed once per alert (not per
/// frame), so sorting, searching and scrolling 100k alerts never walks documents again. Status and
/// guide progress come from the session at render time, since they change.
public struct AlertRow: Sendable, Equatable {
  public var time: String
  public var severity: String
  public var severityRank: Int
  public var rule: String
  public var ruleID: String
  public var function: String
  public var principal: String
  public var sourceIP: String
  public var asnOrganization: String
  public var isExcluded: Bool { excludedBy != nil }
  /// The name of the first enabled exclusion that matches the alert.
  public var excludedBy: String?
  /// Every visible field, lowercased, for `/` search.
  public var searchText: String

  public init(_ alert: Alert, exclusions: [Exclusion] = []) {
    let kibana = alert.document.values(ofKeys: AlertRow.kibanaKeys)
    time = AlertRow.listTime(kibana[0].flatMap(Alert.text) ?? alert.originalTime)
    severity = kibana[1].flatMap(Alert.text) ?? alert.severity
    severityRank = AlertRow.rank(of: severity)
    ruleID = kibana[2].flatMap(Alert.text) ?? alert.ruleID
    let ruleName = kibana[3].flatMap(Alert.text) ?? alert.ruleName
    rule = AlertRow.shortNames[ruleID] ?? ruleName
    function = AlertRow.functionName(alert)
    principal = alert.string("user.name") ?? alert.string("aws.cloudtrail.user_identity.arn") ?? ""
    sourceIP = alert.string("source.ip") ?? alert.string("source.address") ?? ""
    asnOrganization = alert.string("source.as.organization.name") ?? ""
    let id = ruleID
    excludedBy = exclusions.isEmpty ? nil : exclusions.first { $0.ruleIDs.contains(id) && $0.isEnabled && $0.matches(alert.document) }?.name
    searchText = AlertRow.searchText([time, severity, rule, function, principal, sourceIP, asnOrganization, ruleName])
  }

  /// The alert fields a row shows, as the dotted top-level keys detection writes them, read in
  /// one pass. A key present there is what a path lookup finds first; where there is none
  /// (nested documents) or its value is not text, the row falls back to the path lookup.
  private static let kibanaKeys = ["kibana.alert.original_time", "kibana.alert.severity", "kibana.alert.rule.rule_id", "kibana.alert.rule.name"]

  /// Every visible field, lowercased, joined by a unit separator, built in one buffer.
  static func searchText(_ parts: [String]) -> String {
    let total = parts.reduce(parts.count) { $0 + $1.utf8.count }
    var ascii = true
    let text = String(unsafeUninitializedCapacity: total) { out in
      var n = 0
      for (i, part) in parts.enumerated() {
        if i > 0 {
          out[n] = 0x1F
          n += 1
        }
        var part = part
        part.withUTF8 { bytes in
          for byte in bytes {
            if byte >= 0x80 { ascii = false }
            out[n] = byte.asciiLowercased
            n += 1
          }
        }
      }
      return n
    }
    return ascii ? text : parts.joined(separator: "\u{1F}").lowercased()
  }

  /// "2026-11-05T14:02:11.000Z" as "2026-11-05 14:02:11" (bytes, not Characters: this runs per alert).
  static func listTime(_ original: String) -> String {
    var original = original
    return original.withUTF8 { bytes in
      guard bytes.count >= 19, bytes.allSatisfy({ $0 < 0x80 }) else { return String(decoding: bytes, as: UTF8.self) }
      return String(unsafeUninitializedCapacity: 19) { out in
        for i in 0..<19 { out[i] = i == 10 ? 0x20 : bytes[i] }
        return 19
      }
    }
  }

  private static let shortNames = Dictionary(BuiltinRules.all.map { ($0.ruleID, $0.shortName) }, uniquingKeysWith: { a, _ in a })

  /// The function's name: request parameters hold a name, partial ARN or full ARN
  /// (`arn:aws:lambda:…:function:name[:qualifier]`); the name is the part after `function:`.
  public static func functionName(_ alert: Alert) -> String {
    let raw = alert.requestParameters?["functionName"]?.keywordText
      ?? alert.responseElements?["functionName"]?.keywordText
      ?? alert.string("aws.cloudtrail.resources.arn") ?? ""
    guard raw.hasPrefix("arn:"), let offset = raw.byteOffset(of: "function:") else { return raw }
    let rest = raw.utf8.dropFirst(offset + "function:".utf8.count)
    return String(decoding: rest.split(separator: UInt8(ascii: ":"), maxSplits: 1).first ?? rest, as: UTF8.self)
  }

  /// The last two words of a rule's short name ("new ASN", "function URL") for narrow columns.
  static func tinyRuleName(_ name: String) -> String {
    let words = name.split(separator: " ")
    return words.count > 2 ? words.suffix(2).joined(separator: " ") : name
  }

  /// Rows for many alerts, built on every core (100k alerts open in a fraction of a second).
  static func rows(_ alerts: [Alert], exclusions: [Exclusion]) -> [AlertRow] {
    guard alerts.count > 2_000 else { return alerts.map { AlertRow($0, exclusions: exclusions) } }
    let chunks = 8
    let size = (alerts.count + chunks - 1) / chunks
    var parts = [[AlertRow]](repeating: [], count: chunks)
    parts.withUnsafeMutableBufferPointer { parts in
      nonisolated(unsafe) let base = parts.baseAddress!
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let range = (chunk * size)..<min(alerts.count, (chunk + 1) * size)
        (base + chunk).pointee = range.isEmpty ? [] : alerts[range].map { AlertRow($0, exclusions: exclusions) }
      }
    }
    return parts.flatMap { $0 }
  }

  static func rank(of severity: String) -> Int {
    switch severity.lowercased() {
    case "critical": return 4
    case "high": return 3
    case "medium": return 2
    case "low": return 1
    default: return 0
    }
  }
}
