import Foundation
import Testing
@testable import TriageCore

/// Serves fixed bytes a few at a time, then optionally fails.
private final class ScriptedSource: ByteSource {
  let bytes: [UInt8]
  let step: Int
  let failure: InputError?
  private var position = 0
  private(set) var bytesConsumed: Int64 = 0

  init(_ bytes: [UInt8], step: Int, failure: InputError? = nil) {
    self.bytes = bytes
    self.step = step
    self.failure = failure
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    if position == bytes.count, let failure { throw failure }
    let n = min(step, buffer.count, bytes.count - position)
    bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
    position += n
    bytesConsumed += Int64(n) * 3  // as a decompressor would: input counted, not output
    return n
  }
}

/// Everything a source gives, read `readSize` bytes at a time, and the error it ends with.
func readToEnd(_ source: some ByteSource, readSize: Int) -> (bytes: [UInt8], error: InputError?) {
  var source = source
  let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 1)
  defer { buffer.deallocate() }
  var out: [UInt8] = []
  do {
    while case let n = try source.read(into: buffer), n > 0 { out.append(contentsOf: buffer[0..<n]) }
  } catch {
    return (out, error)
  }
  return (out, nil)
}

@Suite("Prefetching reader")
struct PrefetchByteSourceTests {
  static func drain(_ source: PrefetchByteSource, readSize: Int) -> (bytes: [UInt8], error: InputError?) {
    readToEnd(source, readSize: readSize)
  }

  @Test("gives exactly the upstream's bytes and consumed count, whatever the chunk, step and read sizes")
  func sameBytes() {
    let bytes = (0..<300_001).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }
    for (chunk, step, read) in [(7, 3, 5), (4096, 1000, 65536), (65536, 65536, 4096), (1 << 20, 4096, 1 << 20)] {
      let source = PrefetchByteSource(ScriptedSource(bytes, step: step), chunkBytes: chunk)
      let got = Self.drain(source, readSize: read)
      #expect(got.error == nil)
      #expect(got.bytes == bytes, "chunk \(chunk) step \(step) read \(read)")
      #expect(source.bytesConsumed == Int64(bytes.count) * 3)
    }
  }

  @Test("an upstream error comes after every byte before it, once")
  func errorAfterBytes() throws {
    let bytes = Array(repeating: UInt8(ascii: "x"), count: 10_000)
    let failure = InputError.truncatedGzip(path: "p.gz")
    for read in [1000, 64 << 10] {
      let source = PrefetchByteSource(ScriptedSource(bytes, step: 777, failure: failure), chunkBytes: 4096)
      // Everything queued before the first read (three chunks and the error): one large read then
      // meets the error after bytes.
      for _ in 0..<500 where source.readyCount < 4 { Thread.sleep(forTimeInterval: 0.01) }
      #expect(source.readyCount == 4)
      let got = Self.drain(source, readSize: read)
      #expect(got.bytes == bytes)
      #expect(got.error == failure)
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 1)
      defer { buffer.deallocate() }
      #expect(try source.read(into: buffer) == 0)
    }
  }

  @Test("a reader that stops early lets the thread and its upstream go")
  func stopsEarly() async throws {
    weak var upstream: ScriptedSource?
    do {
      let scripted = ScriptedSource(Array(repeating: 1, count: 50 << 20), step: 4096)
      upstream = scripted
      let source = PrefetchByteSource(scripted, chunkBytes: 4096)
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 1)
      defer { buffer.deallocate() }
      #expect(try source.read(into: buffer) == 100)
    }
    for _ in 0..<200 where upstream != nil { try await Task.sleep(for: .milliseconds(10)) }
    #expect(upstream == nil)
  }
}
