import Foundation

/// A stream of bytes read in chunks: a file, stdin, or a decompressor over either.
public protocol ByteSource {
  /// Fills up to `buffer.count` bytes and returns how many; 0 means the end.
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
  /// Bytes consumed from the underlying file so far (compressed bytes for gzip).
  var bytesConsumed: Int64 { get }
}

/// Reads a file descriptor with plain `read(2)`: no mmap, so resident memory does not grow with
/// the file size.
public final class FileByteSource: ByteSource {
  public let path: String
  private let fd: Int32
  private let ownsDescriptor: Bool
  public private(set) var bytesConsumed: Int64 = 0

  public init(path: String) throws(InputError) {
    self.path = path
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      let code = errno
      if code == ENOENT { throw .notFound(path: path) }
      throw .unreadable(path: path, reason: String(cString: strerror(code)))
    }
    self.fd = fd
    ownsDescriptor = true
  }

  /// Standard input, shown as `-` in reports.
  public init(standardInput: Void) {
    path = "-"
    fd = 0
    ownsDescriptor = false
  }

  deinit { if ownsDescriptor { close(fd) } }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    while true {
      let n = Foundation.read(fd, buffer.baseAddress, buffer.count)
      if n >= 0 {
        bytesConsumed += Int64(n)
        return n
      }
      if errno == EINTR { continue }
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
  }

  /// The size of a regular file; nil for pipes, FIFOs and devices.
  public var regularFileSize: Int64? {
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int64(info.st_size)
  }

  /// Reads up to `buffer.count` bytes at `offset` into `buffer`; returns the count (0 at the end).
  public func pread(into buffer: UnsafeMutableRawBufferPointer, offset: Int64) throws(InputError) -> Int {
    while true {
      let n = Foundation.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
      if n >= 0 { return n }
      if errno == EINTR { continue }
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
  }

  /// Reads `length` bytes at `offset` (used to fetch a record again by its location).
  public func pread(offset: Int64, length: Int) throws(InputError) -> [UInt8] {
    var failure: Int32 = 0
    // Not zeroed first, nor copied after: this reads every compressed object of an S3 tree whole.
    let out = [UInt8](unsafeUninitializedCapacity: max(length, 0)) { buffer, done in
      done = 0
      while done < length {
        let n = Foundation.pread(fd, buffer.baseAddress! + done, length - done, off_t(offset) + off_t(done))
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        if n == 0 { break }
        done += n
      }
    }
    if failure != 0 { throw .unreadable(path: path, reason: String(cString: strerror(failure))) }
    return out
  }
}

/// A byte range of a regular file, read with `pread`: lets several workers scan one large NDJSON
/// file at once.
public final class FileRangeByteSource: ByteSource {
  private let file: FileByteSource
  private var position: Int64
  private let end: Int64
  public private(set) var bytesConsumed: Int64 = 0

  public init(path: String, range: Range<Int64>) throws(InputError) {
    file = try FileByteSource(path: path)
    position = range.lowerBound
    end = range.upperBound
  }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    let want = Int(min(Int64(buffer.count), end - position))
    guard want > 0 else { return 0 }
    let n = try file.pread(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), offset: position)
    position += Int64(n)
    bytesConsumed += Int64(n)
    return n
  }
}
