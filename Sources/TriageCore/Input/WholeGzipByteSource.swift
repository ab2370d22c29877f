import CLibdeflate

/// Decompresses a whole gzip file in memory with libdeflate, then serves the bytes. Used for
/// files small enough to hold (CloudTrail objects are typically tens to hundreds of KB); larger or
/// unusual files go through the streaming zlib reader instead.
public final class WholeGzipByteSource: ByteSource {
  /// Compressed files above this size are streamed instead.
  public static let maxCompressedBytes = 64 << 20

  private var output: UnsafeMutableRawBufferPointer
  private var produced = 0
  private var position = 0
  public let bytesConsumed: Int64

  /// Returns nil when the file should be streamed instead (too large, or its size hint is
  /// unusable); throws for data libdeflate proves corrupt or truncated.
  public init?(compressed: [UInt8], path: String, limitBytes: Int64) throws(InputError) {
    guard compressed.count >= 18, compressed.count <= Self.maxCompressedBytes else { return nil }
    bytesConsumed = Int64(compressed.count)
    guard let decompressor = libdeflate_alloc_decompressor() else { return nil }
    defer { libdeflate_free_decompressor(decompressor) }
    // The trailer's ISIZE (size mod 2^32) sizes the buffer for the usual single-member file.
    let n = compressed.count
    var capacity = Int(UInt32(compressed[n - 4]) | UInt32(compressed[n - 3]) << 8 | UInt32(compressed[n - 2]) << 16 | UInt32(compressed[n - 1]) << 24)
    capacity = max(capacity, 1024)
    if Int64(capacity) > limitBytes { return nil }
    output = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    var inputOffset = 0
    var failure: InputError?
    compressed.withUnsafeBytes { input in
      while inputOffset < n {
        // Trailing zero padding after the last member is ignored, as gzip does.
        if input[inputOffset] == 0 && input[inputOffset...].allSatisfy({ $0 == 0 }) { break }
        var consumed = 0
        var written = 0
        var result = libdeflate_gzip_decompress_ex(
          decompressor, input.baseAddress! + inputOffset, n - inputOffset,
          output.baseAddress! + produced, output.count - produced, &consumed, &written)
        while result == LIBDEFLATE_INSUFFICIENT_SPACE {
          // More than one member, or ISIZE wrapped: grow and retry this member.
          let larger = output.count * 2
          if Int64(larger) > limitBytes {
            failure = .gzipBomb(path: path, limitBytes: limitBytes)
            return
          }
          let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: larger, alignment: 16)
          grown.copyMemory(from: UnsafeRawBufferPointer(rebasing: output[0..<produced]))
          output.deallocate()
          output = grown
          result = libdeflate_gzip_decompress_ex(
            decompressor, input.baseAddress! + inputOffset, n - inputOffset,
            output.baseAddress! + produced, output.count - produced, &consumed, &written)
        }
        switch result {
        case LIBDEFLATE_SUCCESS:
          produced += written
          inputOffset += consumed
        case LIBDEFLATE_BAD_DATA:
          // libdeflate cannot tell "cut short" from "damaged"; a member that does not finish
          // before the end of the file is the truncation users meet in practice.
          failure = .truncatedGzip(path: path)
          return
        default:
          failure = .corruptGzip(path: path, reason: "libdeflate error \(result.rawValue)")
          return
        }
      }
    }
    if let failure {
      // deinit frees `output` (the object is fully initialised by now).
      // Let the streaming reader deliver the records before the damage and report precisely.
      if case .gzipBomb = failure { throw failure }
      return nil
    }
  }

  deinit { output.deallocate() }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    let n = min(buffer.count, produced - position)
    if n > 0 {
      buffer.baseAddress!.copyMemory(from: output.baseAddress! + position, byteCount: n)
      position += n
    }
    return n
  }
}
