import Foundation

/// Opens a path (or `-`) as a byte stream, recognising gzip by its magic bytes rather than by the
/// file name, since `aws s3 cp` and friends do not always keep suffixes.
public enum ByteSourceOpener {
  /// - Parameters:
  ///   - wholeGzipLimit: gzip files up to this size are decompressed whole, larger ones streamed.
  ///   - prefetch: inflate a streamed gzip file on a thread of its own, ahead of the caller (for a
  ///     run that leaves a core idle).
  public static func open(_ path: String, wholeGzipLimit: Int = WholeGzipByteSource.maxCompressedBytes, prefetch: Bool = false) throws(InputError) -> AnyByteSource {
    let file: FileByteSource = path == "-" ? FileByteSource(standardInput: ()) : try FileByteSource(path: path)
    let sniffing = SniffingByteSource(file)
    let head = try sniffing.peek(2)
    if head.count == 2, head[0] == 0x1f, head[1] == 0x8b {
      let limit = GzipByteSource<SniffingByteSource>.defaultLimitBytes
      if path != "-", let size = file.regularFileSize, size <= wholeGzipLimit {
        let compressed = try file.pread(offset: 0, length: Int(size))
        if let whole = try WholeGzipByteSource(compressed: compressed, path: path, limitBytes: limit) {
          return AnyByteSource(whole, inflates: true)
        }
      }
      let stream = try GzipByteSource(upstream: sniffing, path: path, limitBytes: limit)
      return AnyByteSource(prefetch ? PrefetchByteSource(stream) : stream, inflates: true, streamsGzip: true)
    }
    return AnyByteSource(sniffing)
  }
}

/// Type-erased byte source; one indirect call per chunk costs nothing measurable.
public final class AnyByteSource: ByteSource {
  private var base: any ByteSource
  /// Inflated as a stream (too large to decompress whole, or standard input): reading a record
  /// again means inflating everything before it again.
  public let streamsGzip: Bool
  /// Compressed (whole or streamed): reading a record again means inflating its file again.
  public let inflates: Bool
  public init(_ base: any ByteSource, inflates: Bool = false, streamsGzip: Bool = false) {
    self.base = base
    self.inflates = inflates || streamsGzip
    self.streamsGzip = streamsGzip
  }
  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int { try base.read(into: buffer) }
  public var bytesConsumed: Int64 { base.bytesConsumed }
}

/// Lets the opener look at the first bytes of a pipe or FIFO, which cannot seek back.
public final class SniffingByteSource: ByteSource {
  private let upstream: FileByteSource
  private var pending: [UInt8] = []

  init(_ upstream: FileByteSource) { self.upstream = upstream }

  public var bytesConsumed: Int64 { upstream.bytesConsumed - Int64(pending.count) }

  func peek(_ count: Int) throws(InputError) -> [UInt8] {
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 1)
    defer { chunk.deallocate() }
    while pending.count < count {
      let need = count - pending.count
      let n = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[0..<need]))
      if n == 0 { break }
      pending.append(contentsOf: chunk[0..<n])
    }
    return pending
  }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    if !pending.isEmpty {
      let n = min(buffer.count, pending.count)
      pending.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
      pending.removeFirst(n)
      return n
    }
    return try upstream.read(into: buffer)
  }
}
