import TriageCore

/// The list columns of an alert that depend only on its document: computed once per alert (not per
/// frame), so sorting, searching and scrolling 100k alerts never walks documents again. The list
/// builds it in two parts, `AlertOutline` for every alert before the first frame and
/// `AlertRowDetail` later (see `AlertRows`). Status and guide progress come from the session at
/// render time, since they change.
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
    let outline = AlertOutline(alert, exclusions: exclusions)
    self.init(outline, AlertRowDetail(alert, outline: outline))
  }

  init(_ outline: AlertOutline, _ detail: AlertRowDetail) {
    time = outline.time
    severity = outline.severity
    severityRank = outline.severityRank
    ruleID = outline.ruleID
    rule = outline.rule
    excludedBy = outline.excludedBy
    function = detail.function
    principal = detail.principal
    sourceIP = detail.sourceIP
    asnOrganization = detail.asnOrganization
    searchText = detail.searchText
  }

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

  /// Severity by importance, highest first when sorted descending. Compared without lowercasing
  /// a copy: this runs for every alert before the first frame.
  static func rank(of severity: String) -> Int {
    let utf8 = severity.utf8
    func named(_ name: String) -> Bool {
      utf8.count == name.utf8.count && zip(utf8, name.utf8).allSatisfy { $0.asciiLowercased == $1 }
    }
    if named("critical") { return 4 }
    if named("high") { return 3 }
    if named("medium") { return 2 }
    if named("low") { return 1 }
    return 0
  }
}
