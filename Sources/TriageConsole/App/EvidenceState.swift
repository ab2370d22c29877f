import TriageCore

/// Where an alert's evidence stands: being read from the logs, ready, or unavailable (with why).
public enum EvidenceState: Sendable, Equatable {
  case loading
  case ready(AlertEvidence)
  case unavailable(String)
}
