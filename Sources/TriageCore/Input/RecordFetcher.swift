import Foundation

/// Reads chosen records again by location. Detection keeps only locations of matching events; the
/// few that become alerts are read back here, so memory does not grow with the input.
enum RecordFetcher {
  static func fetch(path: String, locations: [RecordLocation]) throws(InputError) -> [RecordLocation: [UInt8]] {
    var result: [RecordLocation: [UInt8]] = [:]
    try forEach(path: path, locations: locations) { bytes, location in result[location] = bytes }
    return result
  }

  /// Calls `body` with each chosen record, holding one at a time: a plain file is read at the
  /// offsets, a compressed one decompressed once and cut as the scan did.
  static func forEach(path: String, locations: [RecordLocation], _ body: ([UInt8], RecordLocation) throws -> Void) throws(InputError) {
    if path != "-", try !isGzip(path), isRegularFile(path) {
      let file = try FileByteSource(path: path)
      for location in locations.sorted(by: { $0.offset < $1.offset }) {
        let bytes = try file.pread(offset: location.offset, length: Int(location.length))
        do { try body(bytes, location) } catch { throw .unreadable(path: path, reason: "\(error)") }
      }
      return
    }
    var wanted: [Int64: RecordLocation] = [:]
    for location in locations { wanted[location.offset] = location }
    guard !wanted.isEmpty else { return }
    // Ends the cut once the last wanted record is in: the rest of the file (and any damage in
    // it) does not concern the caller.
    struct AllFound: Error {}
    var found = 0
    var splitter = RecordSplitter(source: try ByteSourceOpener.open(path), fileIndex: 0, path: path)
    do {
      try splitter.forEach({ bytes, location in
        guard let target = wanted[location.offset] else { return }
        try body(Array(bytes), target)
        found += 1
        if found == wanted.count { throw AllFound() }
      }, issue: { _ in })
    } catch is AllFound {
      return
    } catch let error as InputError {
      throw error
    } catch {
      throw .unreadable(path: path, reason: "\(error)")
    }
  }

  private static func isRegularFile(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  private static func isGzip(_ path: String) throws(InputError) -> Bool {
    let file = try FileByteSource(path: path)
    let head = try file.pread(offset: 0, length: 2)
    return head.count == 2 && head[0] == 0x1f && head[1] == 0x8b
  }
}
