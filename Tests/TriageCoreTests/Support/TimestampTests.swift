import Testing
@testable import TriageCore

@Suite("Timestamps")
struct TimestampTests {
  @Test("parses CloudTrail and ECS forms to epoch milliseconds", arguments: [
    ("2026-11-05T10:00:00Z", Int64(1_793_872_800_000)),
    ("2026-11-05T10:00:00.123Z", 1_793_872_800_123),
    ("2026-11-05T10:00:00.123456789Z", 1_793_872_800_123),
    ("2026-11-05T12:00:00+02:00", 1_793_872_800_000),
    ("1970-01-01T00:00:00Z", 0),
    ("2026-11-05T10:00:59Z", 1_793_872_859_000),
    ("2026-11-05T10:00:60Z", 1_793_872_860_000),
  ])
  func parse(text: String, millis: Int64) {
    #expect(Timestamp.parseMillis(text) == millis)
  }

  @Test("rejects malformed times", arguments: ["", "2026-13-01T00:00:00Z", "2026-11-05", "2026-11-05T10:00:00Zjunk", "2026-11-05T10:00:00.",
                                              "2026-11-05T10:00:61Z", "2026-11-05T10:00:1xZ", "2026-11-05T10:00:0xZ", "2026-11-05T10:00-00Z"])
  func reject(text: String) {
    #expect(Timestamp.parseMillis(text) == nil)
  }

  /// The stream keeps the last valid minute: a time in the same minute reads only its tail, so a
  /// stale minute, a tail read as valid because its minute was, or a bad minute taken from the
  /// cache would each show here as a difference from the one-off parse.
  @Test("a stream of times parses each exactly as parseMillis does alone")
  func stream() {
    let minutes = ["2026-11-05T10:00", "2026-11-05T10:01", "2026-12-31T23:59", "2026-13-05T10:00", "2026-11-05T24:00", "2026-11-05 10:00", "2026-11-05T10-00"]
    let tails = [":00Z", ":59.999Z", ":07.5", ":60Z", ":61Z", ":00+02:00", ":00-0130", ":00Zjunk", ":0", ":00.", "", ":00z", ":1xZ"]
    var rng = SplitMix(seed: 5)
    var stream = TimestampStream()
    var compared = 0
    for _ in 0..<3000 {
      let text = minutes[Int(rng.next() % UInt64(minutes.count))] + tails[Int(rng.next() % UInt64(tails.count))]
      let alone = Timestamp.parseMillis(text)
      let streamed = Array(text.utf8).withUnsafeBufferPointer { stream.parseMillis($0) }
      #expect(streamed == alone, "\(text)")
      if alone != nil { compared += 1 }
    }
    #expect(compared > 500)
    #expect(Array("2026-11-05T10:00:00.123Z".utf8).withUnsafeBufferPointer { stream.parseMillis($0) } == 1_793_872_800_123)
  }

  @Test("formats like Elastic (milliseconds, Z)")
  func format() {
    #expect(Timestamp.format(millis: 1_793_872_800_123) == "2026-11-05T10:00:00.123Z")
    #expect(Timestamp.format(millis: -1) == "1969-12-31T23:59:59.999Z")
    #expect(Timestamp.format(millis: 0) == "1970-01-01T00:00:00.000Z")
    #expect(Timestamp.format(millis: 253_402_300_799_999) == "9999-12-31T23:59:59.999Z")
    // A five-digit year takes the general path.
    #expect(Timestamp.format(millis: 253_402_300_800_000) == "10000-01-01T00:00:00.000Z")
  }

  @Test("formatting and parsing agree on every day of a leap cycle, at odd times")
  func roundTrip() {
    // Day by day from 2023 through 2028 (a leap year both ways), with a time that moves.
    for day in Int64(19_358)..<Int64(19_358 + 6 * 366) {
      let millis = day * 86_400_000 + (day * 7_919_123) % 86_400_000
      let text = Timestamp.format(millis: millis)
      #expect(text.utf8.count == 24)
      #expect(Timestamp.parseMillis(text) == millis, "\(text)")
    }
  }

  @Test("SHA-256 matches the FIPS test vector")
  func sha256() {
    #expect(SHA256Digest.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256Digest.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  @Test("the sanitiser escapes control, escape and bidi characters")
  func sanitiser() {
    #expect(TerminalSanitizer.sanitize("a\u{1B}[31mred\u{07}") == "a\\x1b[31mred\\x07")
    #expect(TerminalSanitizer.sanitize("x\u{202E}gpj.exe") == "x\\u202egpj.exe")
    #expect(TerminalSanitizer.sanitize("ok ünïcödé 日本") == "ok ünïcödé 日本")
    #expect(TerminalSanitizer.sanitize(bytes: [0x61, 0xFF, 0x62, 0x9B]) == "a\\xffb\\x9b")
  }
}
