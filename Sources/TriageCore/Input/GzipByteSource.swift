import CISAL
import Foundation

/// Inflates a gzip stream (several concatenated members too, as `cat a.gz b.gz` makes) with
/// ISA-L, holding only its window: for files too large to decompress whole, and standard input.
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
  /// About 90 KB (tables and window), so on the heap.
  private let state: UnsafeMutablePointer<inflate_state>
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
    state = .allocate(capacity: 1)
    isal_inflate_init(state)
    state.pointee.crc_flag = UInt32(ISAL_GZIP)
  }

  deinit {
    state.deallocate()
    input.deallocate()
  }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    if let error = pendingError {
      pendingError = nil
      finished = true
      throw error
    }
    if finished || buffer.count == 0 { return 0 }
    let capacity = min(buffer.count, Int(UInt32.max))
    state.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
    state.pointee.avail_out = UInt32(capacity)
    while state.pointee.avail_out > 0 {
      if state.pointee.avail_in == 0 && !inputEnded {
        let n = try upstream.read(into: input)
        if n == 0 {
          inputEnded = true
        } else {
          state.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
          state.pointee.avail_in = UInt32(n)
        }
      }
      if memberEnded {
        // Another member follows only if there are more bytes; trailing zero padding is ignored.
        if state.pointee.avail_in == 0 && inputEnded { finished = true; break }
        if state.pointee.avail_in > 0 && state.pointee.next_in[0] != 0x1f { finished = true; break }
        if state.pointee.avail_in == 0 { continue }
        // The reset keeps the input position.
        isal_inflate_reset(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        memberEnded = false
      }
      let (inBefore, outBefore) = (state.pointee.avail_in, state.pointee.avail_out)
      let status = isal_inflate(state)
      if status != ISAL_DECOMP_OK {
        pendingError = .corruptGzip(path: path, reason: Self.describe(status))
        break
      }
      if state.pointee.block_state == ISAL_BLOCK_FINISH {
        memberEnded = true
      } else if state.pointee.avail_in == inBefore && state.pointee.avail_out == outBefore {
        // Nothing moved. At the end of the input the inflater has handed over all it decoded (it
        // keeps some back while the caller's buffer is small): the file is cut short. With input
        // left and room for output: stop rather than spin.
        pendingError = inputEnded && inBefore == 0 ? .truncatedGzip(path: path) : .corruptGzip(path: path, reason: "the inflater made no progress")
        break
      }
    }
    let count = capacity - Int(state.pointee.avail_out)
    if count == 0, let error = pendingError {
      pendingError = nil
      finished = true
      throw error
    }
    produced += Int64(count)
    if produced > limitBytes { throw .gzipBomb(path: path, limitBytes: limitBytes) }
    return count
  }

  private static func describe(_ status: Int32) -> String {
    switch status {
    case ISAL_INVALID_BLOCK: "invalid deflate block"
    case ISAL_INVALID_SYMBOL: "invalid deflate code"
    case ISAL_INVALID_LOOKBACK: "a back-reference points before the start of the data"
    case ISAL_INVALID_WRAPPER: "invalid gzip header"
    case ISAL_UNSUPPORTED_METHOD: "not deflate-compressed"
    case ISAL_INCORRECT_CHECKSUM: "CRC mismatch: the data is damaged"
    case ISAL_NEED_DICT: "needs a preset dictionary"
    default: "ISA-L error \(status)"
    }
  }
}
