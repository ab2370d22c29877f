import Foundation

/// Reads its upstream on a thread of its own, a few chunks ahead of the caller: a gzip stream is
/// then inflated on one core while the records already out are cut and scanned on another.
/// Delivers exactly the upstream's bytes, then its error (after every byte before it).
public final class PrefetchByteSource: ByteSource {
  public static let chunkBytes = 1 << 20
  /// Chunks in flight at most: bounds the memory held (and the work wasted if the caller stops).
  public static let depth = 4

  private let channel: Channel
  /// The chunk being handed out, returned to the pool once read.
  private var current: Chunk?
  private var position = 0
  private var consumed: Int64 = 0
  private var ended = false
  /// An error that came after bytes already handed over in the same call: thrown on the next.
  private var pendingError: InputError?

  public init(_ upstream: any ByteSource, chunkBytes: Int = PrefetchByteSource.chunkBytes) {
    channel = Channel(chunks: Self.depth, bytes: chunkBytes)
    let producer = Producer(upstream: upstream, channel: channel)
    let thread = Thread { producer.run() }
    thread.name = "lambda-triage prefetch"
    thread.start()
  }

  /// Stops the thread (after its current read) if the caller did not read to the end.
  deinit { channel.stop() }

  public var bytesConsumed: Int64 { consumed }

  /// Items read ahead and not yet taken (chunks, and the end or error).
  var readyCount: Int { channel.readyCount }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    if let error = pendingError {
      pendingError = nil
      throw error
    }
    var written = 0
    while written < buffer.count {
      guard let chunk = current, position < chunk.count else {
        if let chunk = current {
          channel.recycle(chunk.bytes)
          current = nil
        }
        // Hand over what is already here rather than wait for the next chunk.
        if ended || written > 0 && !channel.hasReady { break }
        switch channel.take() {
        case .chunk(let chunk):
          current = chunk
          position = 0
          consumed = chunk.consumed
        case .end(let total):
          consumed = total
          ended = true
        case .failure(let error, let total):
          consumed = total
          ended = true
          if written > 0 {
            pendingError = error
            return written
          }
          throw error
        }
        continue
      }
      let n = min(buffer.count - written, chunk.count - position)
      (buffer.baseAddress! + written).copyMemory(from: chunk.bytes.baseAddress! + position, byteCount: n)
      position += n
      written += n
    }
    return written
  }

  fileprivate struct Chunk {
    let bytes: UnsafeMutableRawBufferPointer
    let count: Int
    /// The upstream's `bytesConsumed` once the chunk was read.
    let consumed: Int64
  }

  fileprivate enum Item {
    case chunk(Chunk)
    case end(consumed: Int64)
    case failure(InputError, consumed: Int64)
  }

  /// The queue between the two threads, and the buffers they pass back and forth. It frees the
  /// buffers when both sides have let it go.
  fileprivate final class Channel: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item] = []
    private var free: [UnsafeMutableRawBufferPointer]
    private let all: [UnsafeMutableRawBufferPointer]
    private var stopped = false

    init(chunks: Int, bytes: Int) {
      all = (0..<chunks).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: bytes, alignment: 64) }
      free = all
    }

    deinit { for buffer in all { buffer.deallocate() } }

    var hasReady: Bool { readyCount > 0 }

    var readyCount: Int {
      condition.lock()
      defer { condition.unlock() }
      return items.count
    }

    /// A buffer to fill; nil once the reader has gone.
    func emptyBuffer() -> UnsafeMutableRawBufferPointer? {
      condition.lock()
      defer { condition.unlock() }
      while free.isEmpty && !stopped { condition.wait() }
      return stopped ? nil : free.removeLast()
    }

    func put(_ item: Item) {
      condition.lock()
      items.append(item)
      condition.broadcast()
      condition.unlock()
    }

    func recycle(_ buffer: UnsafeMutableRawBufferPointer) {
      condition.lock()
      free.append(buffer)
      condition.broadcast()
      condition.unlock()
    }

    func take() -> Item {
      condition.lock()
      defer { condition.unlock() }
      while items.isEmpty { condition.wait() }
      return items.removeFirst()
    }

    func stop() {
      condition.lock()
      stopped = true
      condition.broadcast()
      condition.unlock()
    }
  }

  /// Owns the upstream once started; touched by the prefetch thread only.
  private final class Producer: @unchecked Sendable {
    private var upstream: any ByteSource
    private let channel: Channel

    init(upstream: any ByteSource, channel: Channel) {
      self.upstream = upstream
      self.channel = channel
    }

    func run() {
      while let buffer = channel.emptyBuffer() {
        var filled = 0
        var failure: InputError?
        do throws(InputError) {
          while filled < buffer.count {
            let n = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if n == 0 { break }
            filled += n
          }
        } catch {
          failure = error
        }
        if filled > 0 {
          channel.put(.chunk(Chunk(bytes: buffer, count: filled, consumed: upstream.bytesConsumed)))
        } else {
          channel.recycle(buffer)
        }
        if let failure {
          channel.put(.failure(failure, consumed: upstream.bytesConsumed))
          return
        }
        if filled < buffer.count {
          channel.put(.end(consumed: upstream.bytesConsumed))
          return
        }
      }
    }
  }
}
