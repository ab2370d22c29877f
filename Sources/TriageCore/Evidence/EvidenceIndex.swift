/// Where every event of a run can be found again, filed under its principal, access key, address
/// and Lambda function: 40 bytes per event and one copy of each distinct value, built while
/// detecting so an alert's evidence reads only its related records instead of the whole input.
/// Bounded by a memory budget; past it the index is marked incomplete and evidence falls back to
/// a targeted pass over the logs.
public struct EvidenceIndex: Sendable {
  /// One event. Times are whole seconds since 2000 (CloudTrail's resolution), which keeps the row
  /// small; lookups widen the window by a second and the exact window is applied after reading.
  struct Row: Sendable {
    var offset: Int64
    var seconds: Int32
    var file: Int32
    var length: Int32
    /// Line (> 0) or minus the position in an envelope (< 0).
    var position: Int32
    var principal: Int32
    var key: Int32
    var address: Int32
    var function: Int32
  }

  /// Memory the index may take (rows and values): about 2.5M events of the benchmark's deliberately
  /// diverse trail (a new key and session every few events), more where principals and keys repeat.
  public static let defaultBudgetBytes = 256 << 20
  /// Longer values (an ARN is at most 2048 characters) are not filed; the index is then marked
  /// incomplete, which sends evidence to a pass over the logs rather than miss an event.
  static let maxValueBytes = 2048
  static let epochSeconds: Int64 = 946_684_800

  var rows: [Row] = []
  var principals = ByteInterner()
  var keys = ByteInterner()
  var addresses = ByteInterner()
  var functions = ByteInterner()
  /// False when the budget ran out (or a value was too long) and some events were not indexed.
  public internal(set) var isComplete = true
  /// The run's files, by the numbers rows refer to.
  public internal(set) var files: [String] = []
  /// What this part took from the run's budget (given back if the part is thrown away).
  private(set) var budgetTaken = 0

  public init() {}

  public var eventCount: Int { rows.count }

  /// What the index holds in memory: the rows, and each distinct value's bytes and table entries.
  public var memoryBytes: Int {
    rows.capacity * MemoryLayout<Row>.stride + [principals, keys, addresses, functions].reduce(0) { $0 + $1.memoryBytes }
  }

  public var distinctValues: (principals: Int, keys: Int, addresses: Int, functions: Int) {
    (principals.count, keys.count, addresses.count, functions.count)
  }

  static func seconds(_ millis: Int64) -> Int32 {
    let whole = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
    return Int32(clamping: whole - epochSeconds)
  }

  /// Files one event; false (and nothing filed) when the budget is spent or a value is too long.
  mutating func add(_ entry: EvidenceEntry, at location: RecordLocation, budget: ByteBudget) -> Bool {
    guard isComplete else { return false }
    let before = principals.memoryBytes + keys.memoryBytes + addresses.memoryBytes + functions.memoryBytes
    var row = Row(
      offset: location.offset, seconds: 0, file: location.fileIndex, length: location.length,
      position: location.recordIndex > 0 ? -location.recordIndex : location.line,
      principal: -1, key: -1, address: -1, function: -1)
    var tooLong = false
    func file(_ interner: inout ByteInterner, _ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
      if bytes.count > Self.maxValueBytes { tooLong = true; return -1 }
      return interner.id(bytes)
    }
    func file(_ interner: inout ByteInterner, _ text: String?) -> Int32 {
      guard var text else { return -1 }
      return text.withUTF8 { file(&interner, $0) }
    }
    switch entry {
    case .keys(let keys):
      row.seconds = Self.seconds(keys.millis)
      row.principal = file(&principals, PrincipalKey.of(keys.principalARN))
      row.key = file(&self.keys, keys.accessKeyID)
      row.address = file(&addresses, keys.address)
      row.function = file(&functions, keys.functionName)
    case .raw(let found, let bytes):
      row.seconds = Self.seconds(found.millis)
      if let range = found.principalARN { row.principal = file(&principals, UnsafeBufferPointer(rebasing: bytes[PrincipalKey.range(in: bytes, range)])) }
      if let range = found.accessKeyID { row.key = file(&keys, UnsafeBufferPointer(rebasing: bytes[range])) }
      if let range = found.address { row.address = file(&addresses, UnsafeBufferPointer(rebasing: bytes[range])) }
    }
    let grown = principals.memoryBytes + keys.memoryBytes + addresses.memoryBytes + functions.memoryBytes - before
    guard !tooLong, budget.take(MemoryLayout<Row>.stride + grown) else {
      isComplete = false
      return false
    }
    budgetTaken += MemoryLayout<Row>.stride + grown
    rows.append(row)
    return true
  }

  /// Appends another part's rows (a later file or chunk), renumbering its values, lines and
  /// (for a piece of a Records file) record numbers.
  mutating func absorb(_ other: EvidenceIndex, base: ChunkNumbering.Base = ChunkNumbering.Base()) {
    func remap(_ from: ByteInterner, into to: inout ByteInterner) -> [Int32] {
      (0..<Int32(from.count)).map { id in from.withBytes(id) { to.id($0) } }
    }
    let p = remap(other.principals, into: &principals)
    let k = remap(other.keys, into: &keys)
    let a = remap(other.addresses, into: &addresses)
    let f = remap(other.functions, into: &functions)
    for var row in other.rows {
      if row.principal >= 0 { row.principal = p[Int(row.principal)] }
      if row.key >= 0 { row.key = k[Int(row.key)] }
      if row.address >= 0 { row.address = a[Int(row.address)] }
      if row.function >= 0 { row.function = f[Int(row.function)] }
      if row.position > 0 { row.position += Int32(base.lines) }
      if row.position < 0 { row.position = -Int32(base.recordIndex(Int(-row.position), at: row.offset)) }
      rows.append(row)
    }
    if !other.isComplete { isComplete = false }
  }
}

extension EvidenceIndex {
  /// The values wanted by many alerts at once, each with the span of time any of them asks for:
  /// one pass over the rows finds every candidate event of a whole report.
  struct Wanted {
    private var spans: [[(low: Int32, high: Int32)?]]

    init(_ index: EvidenceIndex) {
      spans = [index.principals, index.keys, index.functions, index.addresses].map { Array(repeating: nil, count: $0.count) }
    }

    mutating func add(_ index: EvidenceIndex, principalARN: String?, accessKeyID: String?, functionName: String?, address: String?, window: ClosedRange<Int64>) {
      let low = EvidenceIndex.seconds(window.lowerBound) &- 1
      let high = EvidenceIndex.seconds(window.upperBound) &+ 1
      let ids = [index.principals.lookup(principalARN), index.keys.lookup(accessKeyID), index.functions.lookup(functionName), index.addresses.lookup(address)]
      for (slot, id) in ids.enumerated() {
        guard let id else { continue }
        let old = spans[slot][Int(id)]
        spans[slot][Int(id)] = (min(old?.low ?? low, low), max(old?.high ?? high, high))
      }
    }

    @inline(__always)
    private func covers(_ slot: Int, _ id: Int32, _ seconds: Int32) -> Bool {
      guard id >= 0, let span = spans[slot][Int(id)] else { return false }
      return seconds >= span.low && seconds <= span.high
    }

    func wants(_ row: Row) -> Bool {
      covers(0, row.principal, row.seconds) || covers(1, row.key, row.seconds) || covers(2, row.function, row.seconds) || covers(3, row.address, row.seconds)
    }
  }

  /// The candidate events of all the wanted values, per file, each record once.
  func locations(_ wanted: Wanted) -> [Int32: [RecordLocation]] {
    var result: [Int32: [RecordLocation]] = [:]
    var last: (Int32, Int64) = (-1, -1)
    for row in rows where wanted.wants(row) {
      if (row.file, row.offset) == last { continue }
      last = (row.file, row.offset)
      result[row.file, default: []].append(RecordLocation(
        fileIndex: row.file, offset: row.offset, length: row.length,
        line: max(row.position, 0), recordIndex: row.position < 0 ? -row.position : 0))
    }
    return result
  }
}
