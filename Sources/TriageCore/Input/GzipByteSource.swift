import CZlib
import Foundation

/// Inflates a gzip stream (several concatenated members too, as `cat a.gz b.gz` makes) with zlib.
/// Output is capped per file so a small hostile file cannot expand without bound.
public final class GzipByteSource<Upstream: ByteSource>: ByteSource {
  public static var defaultLimitBytes: Int64 {
    // getenv, not ProcessInfo's environment: that builds a dictionary of every variable, and this
    // runs for each of the thousands of objects in an S3 tree.
    if let value = getenv("LAMBDA_TRIAGE_MAX_INFLATED_MB"), let mb = Int64(String(cString: value)), mb > 0 {
      return mb * 1_048_576
    }
    return 16 * 1_073_741_824
  }

  private var upstream: Upstream
  private let path: String
  private let limitBytes: Int64
  private var stream = z_stream()
  private var input: UnsafeMutableRawBufferPointer
  private var inputEnded = false
  private var memberEnded = false
  private var produced: Int64 = 0
  private var finished = false
  /// An error met after some output was already produced in the same call: reported on the next
  /// call, so the records before the damage are still delivered.
  private var pendingError: InputError?

  public var bytesConsumed: Int64 { upstream.bytesConsumed }

  public init(upstream: Upstream, path: String, limitBytes: Int64 = GzipByteSource.defaultLimitBytes) throws(InputError) {
    self.upstream = upstream
    self.path = path
    self.limitBytes = limitBytes
    input = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    // 15 + 16: gzip wrapper only, maximum window.
    let status = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    if status != Z_OK {
      input.deallocate()
      throw .corruptGzip(path: path, reason: "zlib could not start (\(status))")
    }
  }

  deinit {
    inflateEnd(&stream)
    input.deallocate()
  }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    if let error = pendingError {
      pendingError = nil
      finished = true
      throw error
    }
    if finished || buffer.count == 0 { return 0 }
    stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
    stream.avail_out = uInt(buffer.count)
    while stream.avail_out > 0 {
      if stream.avail_in == 0 && !inputEnded {
        let n = try upstream.read(into: input)
        if n == 0 {
          inputEnded = true
        } else {
          stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
          stream.avail_in = uInt(n)
        }
      }
      if memberEnded {
        // Another member follows only if there are more bytes; trailing zero padding is ignored.
        if stream.avail_in == 0 && inputEnded { finished = true; break }
        if stream.avail_in > 0 && stream.next_in[0] != 0x1f { finished = true; break }
        if stream.avail_in == 0 { continue }
        inflateReset(&stream)
        memberEnded = false
      }
      if stream.avail_in == 0 && inputEnded {
        pendingError = .truncatedGzip(path: path)
        break
      }
      let status = inflate(&stream, Z_NO_FLUSH)
      switch status {
      case Z_OK: continue
      case Z_STREAM_END: memberEnded = true
      case Z_BUF_ERROR:
        if inputEnded { pendingError = .truncatedGzip(path: path) }
      default:
        let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
        pendingError = .corruptGzip(path: path, reason: message)
      }
      if pendingError != nil { break }
    }
    let count = buffer.count - Int(stream.avail_out)
    if count == 0, let error = pendingError {
      pendingError = nil
      finished = true
      throw error
    }
    produced += Int64(count)
    if produced > limitBytes { throw .gzipBomb(path: path, limitBytes: limitBytes) }
    return count
  }
}
