/// A query that cannot be compiled, with the column so the rule author can find it.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
  public let language: DetectionRule.Language
  public let offset: Int
  public let message: String

  public var description: String { "\(language.rawValue) query, character \(offset + 1): \(message)" }
}
