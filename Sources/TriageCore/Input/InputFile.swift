/// One input to read: a file found under the user's paths, or standard input.
public struct InputFile: Sendable, Equatable, Hashable {
  public enum Role: Sendable, Equatable, Hashable {
    case logs
    /// CloudTrail-Digest objects: integrity proofs, not events.
    case digest
    /// CloudTrail-Insight objects: anomaly summaries, not API events.
    case insight
  }

  public let path: String
  public let role: Role

  public var isStandardInput: Bool { path == "-" }

  public init(path: String, role: Role = .logs) {
    self.path = path
    self.role = role
  }
}
