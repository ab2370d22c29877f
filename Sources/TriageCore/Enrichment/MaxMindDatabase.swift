import CMaxMindDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A MaxMind-format database opened through libmaxminddb (MaxMind's own, fuzzed C reader).
///
/// `@unchecked Sendable` is sound because the `MMDB_s` is written only by `MMDB_open` in `init`
/// and freed in `deinit`; libmaxminddb documents lookups on an opened (mmap-mode) database as
/// thread-safe since they only read the mapping.
public final class MaxMindDatabase: @unchecked Sendable {
  /// Deep enough for every real database (GeoIP2 records nest 3-4 levels) while keeping the
  /// recursive decoder far from the stack limit whatever libmaxminddb lets through.
  static let maximumDepth = 64

  public let path: String
  public let metadata: MaxMindMetadata
  private let handle: UnsafeMutablePointer<MMDB_s>

  public init(path: String) throws(EnrichmentError) {
    self.path = path
    let handle = UnsafeMutablePointer<MMDB_s>.allocate(capacity: 1)
    handle.initialize(to: MMDB_s())
    let status = MMDB_open(path, UInt32(MMDB_MODE_MMAP), handle)
    guard status == MMDB_SUCCESS else {
      // MMDB_open releases what it allocated on failure; only our own struct is left to free.
      handle.deinitialize(count: 1)
      handle.deallocate()
      var message = Self.message(for: status)
      if status == MMDB_IO_ERROR || status == MMDB_FILE_OPEN_ERROR, errno != 0 {
        message += " (\(String(cString: strerror(errno))))"
      }
      throw .cannotOpen(path: path, message: message)
    }
    self.handle = handle
    let raw = handle.pointee.metadata
    metadata = MaxMindMetadata(
      databaseType: raw.database_type.map { String(cString: $0) } ?? "",
      buildEpoch: raw.build_epoch,
      ipVersion: Int(raw.ip_version),
      nodeCount: raw.node_count,
      recordSize: Int(raw.record_size))
  }

  deinit {
    MMDB_close(handle)
    handle.deinitialize(count: 1)
    handle.deallocate()
  }

  /// The decoded record for `address`, or nil when the address is not in the database, is not a
  /// valid IP, or is IPv6 against an IPv4-only tree (none of which is an error for enrichment).
  /// Throws `.corruptRecord` when libmaxminddb reports the search tree or the data as corrupt.
  public func record(for address: String) throws(EnrichmentError) -> MaxMindValue? {
    guard var ip = IPAddress(address) else { return nil }
    // libmaxminddb looks `::ffff:a.b.c.d` up literally, which finds nothing in an IPv4-only
    // tree; the address means the IPv4 one, so it is asked as such.
    if let v4 = ip.ipv4Equivalent { ip = .v4(v4) }
    var status: Int32 = MMDB_SUCCESS
    // Looking up a sockaddr we build ourselves skips getaddrinfo, which is slow on the hot path
    // and is the one place a string lookup could ever consult the resolver.
    let result: MMDB_lookup_result_s
    switch ip {
    case .v4(let value):
      var socket = sockaddr_in()
      socket.sin_family = sa_family_t(AF_INET)
      socket.sin_addr.s_addr = value.bigEndian
      result = withUnsafePointer(to: &socket) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { MMDB_lookup_sockaddr(handle, $0, &status) }
      }
    case .v6(let value):
      var socket = sockaddr_in6()
      socket.sin6_family = sa_family_t(AF_INET6)
      withUnsafeMutableBytes(of: &socket.sin6_addr) { raw in
        for index in 0..<16 { raw[index] = UInt8(truncatingIfNeeded: value >> (8 * (15 - index))) }
      }
      result = withUnsafePointer(to: &socket) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { MMDB_lookup_sockaddr(handle, $0, &status) }
      }
    }
    if status == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR { return nil }
    guard status == MMDB_SUCCESS else {
      throw .corruptRecord(path: path, address: address, message: Self.message(for: status))
    }
    guard result.found_entry else { return nil }
    var entry = result.entry
    var list: UnsafeMutablePointer<MMDB_entry_data_list_s>?
    let listStatus = MMDB_get_entry_data_list(&entry, &list)
    defer { MMDB_free_entry_data_list(list) }
    guard listStatus == MMDB_SUCCESS else {
      throw .corruptRecord(path: path, address: address, message: Self.message(for: listStatus))
    }
    var cursor = list
    do {
      let value = try Self.decode(&cursor, depth: 0)
      return value
    } catch let reason {
      throw .corruptRecord(path: path, address: address, message: reason.message)
    }
  }

  /// libmaxminddb's message with its first letter lowered, so it reads naturally after "file: ".
  static func message(for status: Int32) -> String {
    let text = String(cString: MMDB_strerror(status))
    guard let first = text.first else { return "error \(status)" }
    return first.lowercased() + text.dropFirst()
  }

  struct DecodeFailure: Error {
    var message: String
  }

  /// Rebuilds the tree from libmaxminddb's flattened pre-order list (a map entry is followed by
  /// `data_size` key/value pairs, an array by `data_size` items). Counts are checked against the
  /// list's actual length because a corrupt file may claim more children than were decoded.
  static func decode(_ cursor: inout UnsafeMutablePointer<MMDB_entry_data_list_s>?, depth: Int) throws(DecodeFailure) -> MaxMindValue {
    guard depth <= maximumDepth else { throw DecodeFailure(message: "the record nests deeper than \(maximumDepth) levels") }
    guard let node = cursor else { throw DecodeFailure(message: "the record ends before its declared size") }
    cursor = node.pointee.next
    let data = node.pointee.entry_data
    switch Int32(data.type) {
    case MMDB_DATA_TYPE_UTF8_STRING:
      return .string(try string(data))
    case MMDB_DATA_TYPE_DOUBLE:
      return .double(data.double_value)
    case MMDB_DATA_TYPE_FLOAT:
      return .float(data.float_value)
    case MMDB_DATA_TYPE_BYTES:
      guard data.data_size == 0 || data.bytes != nil else { throw DecodeFailure(message: "bytes without data") }
      return .bytes(data.data_size == 0 ? [] : Array(UnsafeBufferPointer(start: data.bytes, count: Int(data.data_size))))
    case MMDB_DATA_TYPE_UINT16:
      return .unsigned(UInt64(data.uint16))
    case MMDB_DATA_TYPE_UINT32:
      return .unsigned(UInt64(data.uint32))
    case MMDB_DATA_TYPE_UINT64:
      return .unsigned(data.uint64)
    case MMDB_DATA_TYPE_UINT128:
      return .uint128(uint128(data))
    case MMDB_DATA_TYPE_INT32:
      return .int32(data.int32)
    case MMDB_DATA_TYPE_BOOLEAN:
      return .bool(data.boolean)
    case MMDB_DATA_TYPE_ARRAY:
      var items: [MaxMindValue] = []
      for _ in 0..<data.data_size {
        items.append(try decode(&cursor, depth: depth + 1))
      }
      return .array(items)
    case MMDB_DATA_TYPE_MAP:
      var members: [String: MaxMindValue] = [:]
      for _ in 0..<data.data_size {
        guard let keyNode = cursor else { throw DecodeFailure(message: "the record ends before its declared size") }
        let key = keyNode.pointee.entry_data
        guard Int32(key.type) == MMDB_DATA_TYPE_UTF8_STRING else {
          throw DecodeFailure(message: "a map key is not a string")
        }
        cursor = keyNode.pointee.next
        let name = try string(key)
        members[name] = try decode(&cursor, depth: depth + 1)
      }
      return .map(members)
    default:
      throw DecodeFailure(message: "unexpected data type \(data.type)")
    }
  }

  /// Swift does not import C's `unsigned __int128` union member, so its 16 bytes are read from
  /// their place in the struct: the union sits immediately before the `offset` field.
  private static func uint128(_ data: MMDB_entry_data_s) -> UInt128 {
    guard let fieldOffset = MemoryLayout<MMDB_entry_data_s>.offset(of: \MMDB_entry_data_s.offset) else { return 0 }
    let start = fieldOffset - 16
    return withUnsafeBytes(of: data) { raw in
      var value: UInt128 = 0
      // Host order is little-endian on every platform this builds for.
      for index in (0..<16).reversed() { value = value << 8 | UInt128(raw[start + index]) }
      return value
    }
  }

  /// Strings must be valid UTF-8: repairing them silently would put invented organization names
  /// into alerts, so a bad one marks the record corrupt instead.
  private static func string(_ data: MMDB_entry_data_s) throws(DecodeFailure) -> String {
    if data.data_size == 0 { return "" }
    guard let start = data.utf8_string else { throw DecodeFailure(message: "string without data") }
    let bytes = UnsafeRawBufferPointer(start: start, count: Int(data.data_size))
    guard let text = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) else {
      throw DecodeFailure(message: "the record contains invalid UTF-8")
    }
    return text
  }
}
