import Testing
@testable import TriageCore

@Suite struct TriageSessionTests {
  let now = "2026-11-06T09:00:00.000Z"

  @Test("Closing keeps the reason; reopening clears it")
  func statusAndReason() {
    var session = TriageSession(alerts: [TriageFixtures.alert("a"), TriageFixtures.alert("b")])
    session.setStatus(.closed, reason: .falsePositive, for: ["a"], at: now)
    #expect(session.state(of: "a").status == .closed)
    #expect(session.state(of: "a").reason == .falsePositive)
    #expect(session.state(of: "a").updatedAt == now)
    #expect(session.state(of: "b").status == .open)
    session.setStatus(.open, reason: nil, for: ["a"], at: now)
    #expect(session.state(of: "a").reason == nil)
    session.setStatus(.acknowledged, reason: .truePositive, for: ["a", "b", "unknown"], at: now)
    #expect(session.state(of: "a").reason == nil)
    #expect(session.state(of: "b").status == .acknowledged)
    #expect(session.triage["unknown"] == nil)
  }

  @Test("Step progress counts done and not applicable out of the guide's steps")
  func stepProgress() throws {
    let rule = try #require(BuiltinRules.all.first)
    let alert = TriageFixtures.alert("a", rule: rule.ruleID)
    var session = TriageSession(alerts: [alert])
    let keys = rule.guide.steps.map(\.key)
    session.setStepStatus(.done, step: keys[0], for: "a", at: now)
    session.setStepStatus(.notApplicable, step: keys[1], for: "a", at: now)
    session.setStepNote("checked CloudTrail", step: keys[2], for: "a", at: now)
    session.setStepStatus(.done, step: "no-such-step", for: "a", at: now)
    let progress = session.state(of: "a").progress(of: rule.guide)
    #expect(progress.settled == 2)
    #expect(progress.total == rule.guide.steps.count)
    #expect(session.state(of: "a").step(keys[2]) == StepState(status: .open, note: "checked CloudTrail"))
    session.setStepNote("", step: keys[2], for: "a", at: now)
    #expect(session.state(of: "a").steps[keys[2]] == nil)
  }

  @Test("Notes append with author and time; blank notes are ignored; saving clears the draft")
  func notes() {
    var session = TriageSession(alerts: [TriageFixtures.alert("a")])
    session.setDraft("half a thought", key: "note", for: "a")
    session.addNote("  \n ", author: "ana", for: "a", at: now)
    #expect(session.state(of: "a").notes.isEmpty)
    #expect(session.state(of: "a").drafts["note"] == "half a thought")
    session.addNote("first", author: "ana", for: "a", at: now)
    session.addNote("second", author: "bo", for: "a", at: "2026-11-06T10:00:00.000Z")
    #expect(session.state(of: "a").notes.map(\.text) == ["first", "second"])
    #expect(session.state(of: "a").notes.map(\.author) == ["ana", "bo"])
    #expect(session.state(of: "a").drafts.isEmpty)
  }

  @Test("Merging keeps state of known alerts, adds new ones, marks missing ones gone")
  func merge() {
    var session = TriageSession(alerts: [TriageFixtures.alert("a"), TriageFixtures.alert("b")])
    session.addNote("keep me", author: "ana", for: "a", at: now)
    session.addNote("and me", author: "ana", for: "b", at: now)
    let outcome = session.merge(detected: [TriageFixtures.alert("c"), TriageFixtures.alert("a"), TriageFixtures.alert("c")])
    #expect(outcome == .init(added: 1, kept: 1, gone: 1))
    #expect(session.alerts.map(\.uuid) == ["a", "b", "c"])
    #expect(session.state(of: "a").notes.map(\.text) == ["keep me"])
    #expect(session.state(of: "a").isGone == false)
    #expect(session.state(of: "b").isGone)
    #expect(session.state(of: "b").notes.map(\.text) == ["and me"])
    session.merge(detected: [TriageFixtures.alert("b")])
    #expect(session.state(of: "b").isGone == false)
    #expect(session.state(of: "a").isGone)
  }
}

extension TriageSessionTests {
  @Test("A repeated uuid keeps its first alert; every uuid is found at its place, near misses are not")
  func uuidIndex() {
    let first = TriageFixtures.alert("a", time: "2026-11-05T10:00:00.000Z")
    let again = TriageFixtures.alert("a", time: "2026-11-05T11:00:00.000Z")
    let session = TriageSession(alerts: [first, TriageFixtures.alert("b"), again, TriageFixtures.alert("c")])
    #expect(session.alerts.map(\.uuid) == ["a", "b", "c"])
    #expect(session.alert(uuid: "a") == first)
    #expect(session.index(of: "c") == 2)

    let uuids = (0..<3_000).map { String(format: "%064x", $0 * 7_919) } + ["é", "x", "x\u{0}"]
    let many = TriageSession(alerts: uuids.map { TriageFixtures.alert($0) })
    #expect(many.alerts.count == uuids.count)
    #expect(uuids.indices.allSatisfy { many.index(of: uuids[$0]) == $0 })
    for miss in [String(uuids[5].dropLast()), uuids[5] + "0", "f" + uuids[5].dropFirst(), "y", ""] {
      #expect(many.index(of: miss) == nil, "\(miss)")
    }
  }
}

@Suite("Merging a rerun marks gone only what it covered")
struct RunCoverageMergeTests {
  let early = ECSFixture.urlConfig(id: "early", time: "2026-11-05T10:00:00Z")
  let late = ECSFixture.urlConfig(id: "late", time: "2026-11-09T10:00:00Z")

  func session() throws -> TriageSession {
    let first = try ECSFixture.run([early, late])
    #expect(first.alerts.count == 2)
    var session = TriageSession(alerts: [])
    session.merge(detected: first.alerts, coverage: first.coverage)
    return session
  }

  func isGone(_ session: TriageSession, _ eventID: String) -> Bool {
    let alert = session.alerts.first { $0.string("event.id") == eventID }!
    return session.state(of: alert.uuid).isGone
  }

  @Test("a rerun with --since leaves the alerts before its window as they were")
  func since() throws {
    var session = try session()
    let rerun = try ECSFixture.run([early, late], since: "2026-11-08T00:00:00Z")
    #expect(rerun.alerts.map { $0.string("event.id") } == ["late"])
    let outcome = session.merge(detected: rerun.alerts, coverage: rerun.coverage)
    #expect(outcome.gone == 0)
    #expect(!isGone(session, "early") && !isGone(session, "late"))
  }

  @Test("a rerun with --until leaves the alerts after its window as they were")
  func until() throws {
    var session = try session()
    let rerun = try ECSFixture.run([early, late], until: "2026-11-06T00:00:00Z")
    session.merge(detected: rerun.alerts, coverage: rerun.coverage)
    #expect(!isGone(session, "early") && !isGone(session, "late"))
  }

  @Test("a rerun whose window holds the alert and did not produce it marks it gone")
  func covered() throws {
    var session = try session()
    let rerun = try ECSFixture.run([late], since: "2026-11-01T00:00:00Z")
    let outcome = session.merge(detected: rerun.alerts, coverage: rerun.coverage)
    #expect(outcome.gone == 1)
    #expect(isGone(session, "early") && !isGone(session, "late"))
  }

  @Test("a rerun that read no records marks nothing gone")
  func readNothing() throws {
    var session = try session()
    let rerun = try ECSFixture.run([])
    session.merge(detected: rerun.alerts, coverage: rerun.coverage)
    #expect(!isGone(session, "early") && !isGone(session, "late"))
  }
}
