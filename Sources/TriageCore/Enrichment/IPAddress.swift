#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A parsed IP address as an integer, so range tables can compare and binary-search it.
public enum IPAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
  case v4(UInt32)
  case v6(UInt128)

  /// Parses dotted-quad IPv4 or any RFC 4291 IPv6 text form. Zone ids (`%eth0`) and CIDR suffixes
  /// are rejected: `source.ip` never carries them and accepting them would hide mapping bugs.
  public init?(_ text: String) {
    var text = text
    let parsed = text.withUTF8 { IPAddress.parse(UnsafeRawBufferPointer($0)) }
    guard let parsed else { return nil }
    self = parsed
  }

  /// The IPv4 address embedded in `::ffff:a.b.c.d`, or the address itself for IPv4.
  public var ipv4Equivalent: UInt32? {
    switch self {
    case .v4(let value): return value
    case .v6(let value):
      return value >> 32 == 0xFFFF ? UInt32(truncatingIfNeeded: value) : nil
    }
  }

  /// The IPv6 form, mapping IPv4 into `::ffff:0:0/96`.
  public var ipv6Equivalent: UInt128 {
    switch self {
    case .v4(let value): return (0xFFFF as UInt128) << 32 | UInt128(value)
    case .v6(let value): return value
    }
  }

  public var description: String {
    switch self {
    case .v4(let value):
      return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    case .v6(let value):
      var storage = in6_addr()
      withUnsafeMutableBytes(of: &storage) { raw in
        for index in 0..<16 { raw[index] = UInt8(truncatingIfNeeded: value >> (8 * (15 - index))) }
      }
      var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
      _ = inet_ntop(AF_INET6, &storage, &buffer, socklen_t(buffer.count))
      return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
  }

  public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
    switch (lhs, rhs) {
    case (.v4(let a), .v4(let b)): return a < b
    case (.v6(let a), .v6(let b)): return a < b
    case (.v4, .v6): return true
    case (.v6, .v4): return false
    }
  }

  /// Parses raw ASCII bytes. IPv4 is parsed by hand because the ip2asn loader calls this half a
  /// million times; IPv6 goes through `inet_pton`, whose handling of `::` and embedded IPv4 is
  /// well tested and not worth re-deriving.
  static func parse(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
    guard !bytes.isEmpty, bytes.count <= 45 else { return nil }
    if !bytes.contains(UInt8(ascii: ":")) {
      return parseIPv4(bytes).map(IPAddress.v4)
    }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 48) { cString -> IPAddress? in
      for (index, byte) in bytes.enumerated() {
        // inet_pton would stop at an embedded NUL and accept a prefix; refuse instead.
        guard byte != 0 else { return nil }
        cString[index] = CChar(bitPattern: byte)
      }
      cString[bytes.count] = 0
      var storage = in6_addr()
      guard inet_pton(AF_INET6, cString.baseAddress, &storage) == 1 else { return nil }
      let value = withUnsafeBytes(of: &storage) { raw in
        raw.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
      }
      return .v6(value)
    }
  }

  /// Strict dotted quad: four decimal octets, no leading zeros (which some parsers read as octal).
  static func parseIPv4(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
    var result: UInt32 = 0
    var octet: UInt32 = 0
    var digits = 0
    var dots = 0
    var leadingZero = false
    for byte in bytes {
      if byte == UInt8(ascii: ".") {
        guard digits > 0, dots < 3 else { return nil }
        result = result << 8 | octet
        octet = 0
        digits = 0
        dots += 1
      } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
        if digits == 0 { leadingZero = byte == UInt8(ascii: "0") } else if leadingZero { return nil }
        octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
        digits += 1
        guard octet <= 255, digits <= 3 else { return nil }
      } else {
        return nil
      }
    }
    guard digits > 0, dots == 3 else { return nil }
    return result << 8 | octet
  }
}
