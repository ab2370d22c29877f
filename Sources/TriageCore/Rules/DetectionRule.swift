/// A detection rule as data: what Elastic publishes about it (identity, schedule, query, guide).
/// Nothing here is code per rule; the evaluator reads `query` and the new-terms settings.
public struct DetectionRule: Sendable, Equatable, Identifiable {
  public enum Kind: String, Sendable, Equatable { case eql, newTerms = "new_terms" }
  public enum Language: String, Sendable, Equatable { case eql, kuery }

  public let name: String
  /// A short label for narrow table columns.
  public let shortName: String
  public let ruleID: String
  public let kind: Kind
  public let language: Language
  public let indexPatterns: [String]
  public let severity: String
  public let riskScore: Int
  public let intervalSeconds: Int
  /// Look-back: how far before an execution time its window starts (`from: now-6m`).
  public let lookBackSeconds: Int
  public let maxAlertsPerExecution: Int
  public let version: Int
  public let timestampOverride: String?
  public let query: String
  public let newTermsFields: [String]
  public let historyWindowSeconds: Int
  public let description: String
  public let guide: InvestigationGuide
  public let tags: [String]
  public let threat: [ThreatMapping]

  public var id: String { ruleID }
}

/// The rule's investigation guide, in the project's own words, one step per published step.
public struct InvestigationGuide: Sendable, Equatable {
  public let summary: String
  public let steps: [GuideStep]
  public let falsePositiveAnalysis: [String]
  public let response: [String]
  public let setup: String?
}

public struct GuideStep: Sendable, Equatable {
  /// Stable key used in the state file (`step-1`...), so notes survive guide rewording.
  public let key: String
  public let title: String
  public let detail: String
  /// ECS fields the step asks the analyst to look at; the console shows their values under it.
  public let fields: [String]
}

public struct ThreatMapping: Sendable, Equatable {
  public let tacticID: String
  public let tacticName: String
  public let techniques: [(id: String, name: String)]

  public static func == (lhs: ThreatMapping, rhs: ThreatMapping) -> Bool {
    lhs.tacticID == rhs.tacticID && lhs.tacticName == rhs.tacticName
      && lhs.techniques.map(\.id) == rhs.techniques.map(\.id)
  }
}
