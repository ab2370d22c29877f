/// Parses the times of a stream of records, remembering the last minute it read: a trail's
/// records come roughly in time order, so most share `yyyy-MM-ddTHH:mm` with the record before
/// and only the seconds, fraction and zone are left to read. One per scanner (it is a cache).
struct TimestampStream {
  private var minuteBytes: (UInt64, UInt64) = (0, 0)
  private var minute: Int64?

  /// `Timestamp.parseMillis(bytes:)`, exactly.
  mutating func parseMillis(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard b.count >= 19, let base = b.baseAddress else { return nil }
    let raw = UnsafeRawPointer(base)
    let bytes = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    if minute == nil || bytes != minuteBytes {
      guard let parsed = Timestamp.minuteMillis(b) else { return nil }
      minute = parsed
      minuteBytes = bytes
    }
    guard let minute, let rest = Timestamp.millisInMinute(b) else { return nil }
    return minute + rest
  }
}
