// swift-tools-version: 6.1
import Foundation
import PackageDescription

let package = Package(
  name: "lambda-triage",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "lambda-triage", targets: ["lambda-triage"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  ],
  targets: [
    .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                   providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", pkgConfig: "ncursesw",
                   providers: [.apt(["libncurses-dev"])]),
    .systemLibrary(name: "CMaxMindDB", path: "Sources/CMaxMindDB", pkgConfig: "libmaxminddb",
                   providers: [.apt(["libmaxminddb-dev"])]),
    // libdeflate inflates a whole in-memory gzip member several times faster than zlib; CloudTrail
    // objects are small, so each is decompressed in one call (ISA-L streams the large ones).
    .systemLibrary(name: "CLibdeflate", path: "Sources/CLibdeflate", pkgConfig: "libdeflate",
                   providers: [.apt(["libdeflate-dev"])]),
    // ISA-L's inflate streams six times faster than zlib's here (0.8 s against 4.8 s for a 120 MB
    // .json.gz), as fast as libdeflate on a whole buffer: it reads the gzip files too large to
    // hold, and standard input.
    .systemLibrary(name: "CISAL", path: "Sources/CISAL", pkgConfig: "libisal",
                   providers: [.apt(["libisal-dev"])]),
    .target(name: "CSupport"),
    .target(name: "TriageCore", dependencies: ["CZlib", "CLibdeflate", "CISAL", "CMaxMindDB", "CSupport"]),
    .target(name: "TriageConsole", dependencies: ["TriageCore", "CNcurses", "CSupport"]),
    .executableTarget(
      name: "lambda-triage",
      dependencies: [
        "TriageCore", "TriageConsole", "CSupport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "lambda-triage-fuzz", dependencies: ["TriageCore", "CSupport"]),
    .executableTarget(name: "lambda-triage-console-bench", dependencies: ["TriageCore", "TriageConsole", "CSupport"]),
    .testTarget(name: "TriageCoreTests", dependencies: ["TriageCore"],
                resources: [.copy("Fixtures")]),
    .testTarget(name: "TriageConsoleTests", dependencies: ["TriageConsole", "TriageCore"]),
  ]
)

// Stage benchmarks with ordo-one/benchmark (wall and CPU time, mallocs, throughput per stage):
//   LAMBDA_TRIAGE_BENCHMARKS=1 swift package benchmark
// Behind a variable so everyday builds and CI do not fetch and build the harness.
if ProcessInfo.processInfo.environment["LAMBDA_TRIAGE_BENCHMARKS"] != nil {
  package.dependencies.append(.package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]))
  package.targets.append(.executableTarget(
    name: "DetectionBenchmarks",
    dependencies: ["TriageCore", .product(name: "Benchmark", package: "benchmark")],
    path: "Benchmarks/DetectionBenchmarks",
    plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]))
}
