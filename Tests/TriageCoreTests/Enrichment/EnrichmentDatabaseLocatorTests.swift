import Foundation
import Testing
@testable import TriageCore

private let asnRow = "216.160.83.0\t216.160.83.255\t209\tUS\tCENTURYLINK-US-LEGACY-QWEST\n"

/// A scratch layout: an input tree, three "geoipupdate" directories, and helpers to fill them.
private struct Layout {
  let root: URL
  var inputs: URL { root.appendingPathComponent("inputs") }
  var standard: [URL] { ["usr-share-GeoIP", "var-lib-GeoIP", "usr-local-share-GeoIP"].map { root.appendingPathComponent($0) } }

  init() throws {
    root = try EnrichmentFixtures.temporaryDirectory()
    for directory in [inputs] + standard {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }
  }

  @discardableResult
  func write(_ text: String, to url: URL) throws -> String {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @discardableResult
  func copy(_ testDatabase: String, to url: URL) throws -> String {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: EnrichmentFixtures.testData(testDatabase), toPath: url.path)
    return url.path
  }

  func locator(_ environment: [String: String] = [:]) -> EnrichmentDatabaseLocator {
    EnrichmentDatabaseLocator(environment: environment, searchDirectories: standard.map(\.path))
  }
}

@Suite("Enrichment: database locator")
struct EnrichmentDatabaseLocatorTests {
  @Test("candidates are found at any depth and in hidden folders, in path order, without entering a symlink loop")
  func candidatesInTree() throws {
    let layout = try Layout()
    defer { try? FileManager.default.removeItem(at: layout.root) }
    let inputs = layout.inputs
    let deep = try layout.write(asnRow, to: inputs.appendingPathComponent("AWSLogs/1/CloudTrail/eu-west-1/asn.TSV"))
    let hidden = try layout.write(asnRow, to: inputs.appendingPathComponent(".cache/ip2asn-v4.tsv"))
    let top = try layout.write(asnRow, to: inputs.appendingPathComponent("a.tsv.gz"))
    try layout.write("{}", to: inputs.appendingPathComponent("AWSLogs/1/trail.json"))
    try FileManager.default.createSymbolicLink(atPath: inputs.appendingPathComponent("AWSLogs/1/loop").path, withDestinationPath: inputs.path)
    #expect(EnrichmentDatabaseLocator.candidateFiles(in: [inputs.path]) == [hidden, deep, top])
    #expect(EnrichmentDatabaseLocator.candidateFiles(in: [inputs.path + "/"]) == [hidden, deep, top])
    #expect(EnrichmentDatabaseLocator.candidateFiles(in: [deep, inputs.appendingPathComponent("AWSLogs/1/trail.json").path]) == [deep])
  }

  @Test("nothing anywhere: no databases, and a hint that says how to provide one")
  func nothing() throws {
    let layout = try Layout()
    defer { try? FileManager.default.removeItem(at: layout.root) }
    try layout.write("{\"Records\":[]}", to: layout.inputs.appendingPathComponent("trail.json"))
    try layout.write("a\tb\n", to: layout.inputs.appendingPathComponent("notes.tsv"))
    let result = try layout.locator().locate(inputPaths: [layout.inputs.path])
    #expect(result.asn == nil && result.geo == nil)
    #expect(EnrichmentDatabaseLocator.missingASNHint.contains("--asn-db"))
    #expect(EnrichmentDatabaseLocator.missingASNHint.contains("LAMBDA_TRIAGE_ASN_DB"))
  }

  @Test("an ip2asn TSV deep in an input tree is found by content; its summary has the mtime")
  func tsvAmongInputs() throws {
    let layout = try Layout()
    defer { try? FileManager.default.removeItem(at: layout.root) }
    try layout.write("a\tb\n", to: layout.inputs.appendingPathComponent("a/other.tsv"))
    let tsv = try layout.write("# header\n" + asnRow, to: layout.inputs.appendingPathComponent("AWSLogs/1/CloudTrail/ip2asn.tsv"))
    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_715_000_000)], ofItemAtPath: tsv)
    let result = try layout.locator().locate(inputPaths: [layout.inputs.path, "-"])
    let asn = try #require(result.asn)
    #expect(asn.path == tsv && asn.kind == .ip2asnTSV && asn.origin == .inputPath)
    #expect(asn.buildDate == "2024-05-06")
    #expect(asn.summary == "\(tsv) (ip2asn TSV, modified 2024-05-06; found among the input paths)")
    #expect(try asn.openASN().asn(for: "216.160.83.56") == ASNInfo(number: 209, organization: "CENTURYLINK-US-LEGACY-QWEST"))
    #expect(result.geo == nil)
  }

  @Test("environment beats input paths, which beat the geoipupdate directories", .enabled(if: EnrichmentFixtures.available))
  func order() throws {
    let layout = try Layout()
    defer { try? FileManager.default.removeItem(at: layout.root) }
    let standardASN = try layout.copy("GeoLite2-ASN-Test.mmdb", to: layout.standard[1].appendingPathComponent("GeoLite2-ASN.mmdb"))
    let standardCity = try layout.copy("GeoLite2-City-Test.mmdb", to: layout.standard[2].appendingPathComponent("GeoLite2-City.mmdb"))
    // Only the standard locations: found there, in directory order.
    var result = try layout.locator().locate(inputPaths: [])
    #expect(result.asn?.path == standardASN && result.asn?.origin == .standardLocation && result.asn?.kind == .maxMindASN)
    #expect(result.geo?.path == standardCity && result.geo?.kind == .maxMindCity)
    #expect(result.asn?.summary == "\(standardASN) (MaxMind DB GeoLite2-ASN, built 2026-02-04; standard geoipupdate location)")

    // An earlier geoipupdate directory wins.
    let earlier = try layout.copy("GeoIP2-ISP-Test.mmdb", to: layout.standard[0].appendingPathComponent("GeoIP2-ISP.mmdb"))
    result = try layout.locator().locate(inputPaths: [])
    #expect(result.asn?.path == earlier)

    // A database among the inputs wins over the standard locations; a renamed mmdb is
    // classified by its metadata, not its name.
    let inputASN = try layout.copy("GeoLite2-ASN-Test.mmdb", to: layout.inputs.appendingPathComponent("db/renamed.mmdb"))
    result = try layout.locator().locate(inputPaths: [layout.inputs.path])
    #expect(result.asn?.path == inputASN && result.asn?.origin == .inputPath)
    #expect(result.geo?.path == standardCity)

    // The environment wins over both.
    let envTSV = try layout.write(asnRow, to: layout.root.appendingPathComponent("elsewhere/table.txt"))
    let envCity = try layout.copy("GeoLite2-City-Test.mmdb", to: layout.root.appendingPathComponent("elsewhere/city.db"))
    result = try layout.locator([EnrichmentDatabaseLocator.asnEnvironmentVariable: envTSV,
                                 EnrichmentDatabaseLocator.geoEnvironmentVariable: envCity])
      .locate(inputPaths: [layout.inputs.path])
    #expect(result.asn?.path == envTSV && result.asn?.kind == .ip2asnTSV)
    #expect(result.asn?.origin == .environment("LAMBDA_TRIAGE_ASN_DB"))
    #expect(result.geo?.path == envCity && result.geo?.origin == .environment("LAMBDA_TRIAGE_GEO_DB"))

    // And a flag wins over the environment.
    result = try layout.locator([EnrichmentDatabaseLocator.asnEnvironmentVariable: envTSV])
      .locate(inputPaths: [layout.inputs.path], asnFlag: standardASN)
    #expect(result.asn?.path == standardASN && result.asn?.origin == .flag)
    #expect(try result.asn?.openASN().asn(for: "89.160.20.156") == ASNInfo(number: 29518, organization: "Bredband2 AB"))
    #expect(try result.geo?.openGeo().geo(for: "89.160.20.156")?.cityName == "Linköping")
  }

  @Test("a City database among the inputs is used for geo, not as the ASN database", .enabled(if: EnrichmentFixtures.available))
  func cityAmongInputs() throws {
    let layout = try Layout()
    defer { try? FileManager.default.removeItem(at: layout.root) }
    let city = try layout.copy("GeoLite2-City-Test.mmdb", to: layout.inputs.appendingPathComponent("a.mmdb"))
    let tsv = try layout.write(asnRow, to: layout.inputs.appendingPathComponent("b.tsv"))
    try layout.copy("MaxMind-DB-test-decoder.mmdb", to: layout.inputs.appendingPathComponent("0-other.mmdb"))
    let result = try layout.locator().locate(inputPaths: [layout.inputs.path])
    #expect(result.geo?.path == city)
    #expect(result.asn?.path == tsv)
  }

  @Test("explicitly named databases must exist and be of the right kind", .enabled(if: EnrichmentFixtures.available))
  func explicitErrors() throws {
    let layout = try Layout()
    defer { try? FileManager.default.removeItem(at: layout.root) }
    let missing = layout.root.appendingPathComponent("nope.mmdb").path
    #expect(throws: EnrichmentError.unreadable(path: missing, message: "no readable file there (named by $LAMBDA_TRIAGE_ASN_DB)")) {
      try layout.locator([EnrichmentDatabaseLocator.asnEnvironmentVariable: missing]).locate(inputPaths: [])
    }
    let city = try layout.copy("GeoLite2-City-Test.mmdb", to: layout.root.appendingPathComponent("city.mmdb"))
    #expect(throws: EnrichmentError.wrongDatabaseKind(path: city, databaseType: "GeoLite2-City", expected: "an ASN database (.mmdb or ip2asn TSV)")) {
      try layout.locator().locate(inputPaths: [], asnFlag: city)
    }
    let tsv = try layout.write(asnRow, to: layout.root.appendingPathComponent("t.tsv"))
    #expect(throws: EnrichmentError.wrongDatabaseKind(path: tsv, databaseType: "ip2asn TSV", expected: "a City database")) {
      try layout.locator([EnrichmentDatabaseLocator.geoEnvironmentVariable: tsv]).locate(inputPaths: [])
    }
  }

  @Test("a corrupt database among the inputs is an error naming it", .enabled(if: EnrichmentFixtures.available))
  func corruptAmongInputs() throws {
    let layout = try Layout()
    defer { try? FileManager.default.removeItem(at: layout.root) }
    let bad = layout.inputs.appendingPathComponent("GeoLite2-ASN.mmdb")
    try FileManager.default.copyItem(
      atPath: EnrichmentFixtures.maxmind.appendingPathComponent("bad-data/maxminddb-golang/cyclic-data-structure.mmdb").path,
      toPath: bad.path)
    #expect(throws: EnrichmentError.cannotOpen(path: bad.path, message: "the MaxMind DB file's data section contains bad data (unknown data type or corrupt data)")) {
      try layout.locator().locate(inputPaths: [layout.inputs.path])
    }
  }

  @Test("dated DB-IP downloads: the newest name is taken", .enabled(if: EnrichmentFixtures.available))
  func dbipNames() throws {
    let layout = try Layout()
    defer { try? FileManager.default.removeItem(at: layout.root) }
    try layout.copy("GeoLite2-ASN-Test.mmdb", to: layout.standard[0].appendingPathComponent("dbip-asn-lite-2024-05.mmdb"))
    let newest = try layout.copy("GeoLite2-ASN-Test.mmdb", to: layout.standard[0].appendingPathComponent("dbip-asn-lite-2024-06.mmdb"))
    #expect(try layout.locator().locate(inputPaths: []).asn?.path == newest)
  }
}
