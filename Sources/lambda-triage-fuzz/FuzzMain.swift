import CSupport
import Foundation
import TriageCore

/// Fuzz targets for every parser that reads untrusted bytes. Built with
/// `scripts/fuzz` (`-sanitize=fuzzer,address -DFUZZING`) it is a libFuzzer binary; built normally it
/// replays inputs (`lambda-triage-fuzz TARGET FILE...`), which is how crashes become regression tests.
@main
struct FuzzMain {
  static let targets: [String: @Sendable ([UInt8]) -> Void] = [
    "json": { bytes in _ = try? JSONParser.parse(bytes) },
    "records": { bytes in
      var splitter = RecordSplitter(source: MemorySource(bytes), fileIndex: 0, path: "fuzz", maxRecordBytes: 1 << 20)
      try? splitter.forEach({ record, _ in _ = try? JSONParser.parse(record) }, issue: { _ in })
    },
    "gzip": { bytes in
      if let whole = try? WholeGzipByteSource(compressed: bytes, path: "fuzz", limitBytes: 64 << 20) { drain(whole) }
      if let stream = try? GzipByteSource(upstream: MemorySource(bytes), path: "fuzz", limitBytes: 64 << 20) { drain(stream) }
    },
    "ecs": { bytes in
      guard case .object(let record)? = try? JSONParser.parse(bytes) else { return }
      let document = CloudTrailMapper.map(record, original: String(decoding: bytes, as: UTF8.self))
      for rule in BuiltinRules.all { _ = (try? rule.compiledQuery()).map { QueryEvaluator($0).matches(document) } }
      _ = JSONWriter.compact(.object(document))
    },
    "eql": { bytes in _ = try? EQLParser.compile(String(decoding: bytes, as: UTF8.self)) },
    "kql": { bytes in _ = try? KQLParser.compile(String(decoding: bytes, as: UTF8.self)) },
    "exclusions": { bytes in
      guard case .object(let root)? = try? JSONParser.parse(bytes), case .array(let items)? = root["exclusions"] else { return }
      for (i, item) in items.enumerated() { _ = try? ExclusionCodec.decode(item, path: "fuzz", index: i) }
    },
    // Differential: the index's byte reader against the parser and Elastic's mapping.
    "evidencekeys": { bytes in precondition(RawRecordKeys.agreesWithMapping(bytes), "byte reader and mapping disagree") },
    // Differential: detection's lazy parse of large members against a full parse and mapping.
    "lazyparse": { bytes in precondition(RuleGating.agreesWithFullParse(bytes), "lazy and full parse disagree") },
    "scalars": { bytes in
      if case .differs(let why) = ScalarRecordReader.agreement(bytes) { preconditionFailure("scalar reader and mapper disagree: \(why)") }
    },
    "sanitizer": { bytes in _ = TerminalSanitizer.sanitize(bytes: bytes) },
    "statefile": { bytes in _ = try? StateFileCodec.decode(bytes, file: "fuzz") },
    "ip2asn": { bytes in
      guard let table = try? IP2ASNTable(contents: String(decoding: bytes, as: UTF8.self), path: "fuzz") else { return }
      for address in ["1.2.3.4", "203.0.113.9", "2001:db8::1", "::ffff:10.0.0.1"] { _ = table.asn(for: address) }
    },
    // libmaxminddb opens files, so each input is written to a scratch file first.
    "mmdb": { bytes in
      let path = NSTemporaryDirectory() + "lt-fuzz-\(getpid()).mmdb"
      guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
      defer { unlink(path) }
      if let db = try? MaxMindDatabase(path: path) {
        for address in ["1.2.3.4", "81.2.69.160", "2001:db8::1", "::1.1.1.1"] {
          _ = try? MaxMindASNDatabase(database: db).asn(for: address)
          _ = try? MaxMindCityDatabase(database: db).geo(for: address)
        }
      }
    },
  ]

  static func drain(_ source: some ByteSource) {
    var source = source
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
    defer { buffer.deallocate() }
    while let n = try? source.read(into: buffer), n > 0 {}
  }

  static func main() {
    let environment = ProcessInfo.processInfo.environment
    #if FUZZING
    guard let name = environment["LT_FUZZ_TARGET"], targets[name] != nil else {
      print("set LT_FUZZ_TARGET to one of: \(targets.keys.sorted().joined(separator: ", "))")
      exit(2)
    }
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    _ = LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) }
    #else
    let arguments = Array(CommandLine.arguments.dropFirst())
    guard let name = arguments.first, let target = targets[name] else {
      print("usage: lambda-triage-fuzz TARGET FILE...  (targets: \(targets.keys.sorted().joined(separator: ", ")))")
      exit(2)
    }
    _ = environment
    for file in arguments.dropFirst() {
      guard let bytes = FileBytes.read(file) else { continue }
      target(bytes)
    }
    #endif
  }
}

#if FUZZING
/// libFuzzer's per-input hook; the target is chosen by LT_FUZZ_TARGET.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let name = ProcessInfo.processInfo.environment["LT_FUZZ_TARGET"] ?? "json"
  FuzzMain.targets[name]?(Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}
#endif

/// Bytes in memory as a ByteSource.
final class MemorySource: ByteSource {
  let bytes: [UInt8]
  var position = 0
  init(_ bytes: [UInt8]) { self.bytes = bytes }
  var bytesConsumed: Int64 { Int64(position) }
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    let n = min(buffer.count, bytes.count - position)
    if n > 0 {
      bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
      position += n
    }
    return n
  }
}
