import Foundation
import Testing
@testable import TriageCore

/// What a corrupt database does in our hands. None may crash or hang; each either fails to open
/// with libmaxminddb's reason and the file named, or opens and then every lookup returns an error
/// naming the file or no ASN.
enum BadDatabaseOutcome: Sendable, CustomStringConvertible {
  /// Rejected by MMDB_open with this (lower-cased) libmaxminddb message.
  case rejectedAtOpen(String)
  /// Opens; at least one of the probe addresses is a corrupt-record error, none yields an ASN.
  case lookupErrors
  /// Opens and answers (its records are not ASN-shaped): no error, no ASN for any probe address.
  case opensWithoutASN

  var description: String {
    switch self {
    case .rejectedAtOpen: return "rejected at open"
    case .lookupErrors: return "lookup errors"
    case .opensWithoutASN: return "opens, no ASN"
    }
  }
}

private let badData = "the MaxMind DB file's data section contains bad data (unknown data type or corrupt data)"

@Suite("Enrichment: corrupt databases from bad-data/", .enabled(if: EnrichmentFixtures.available))
struct EnrichmentBadDataTests {
  static let expectations: [String: BadDatabaseOutcome] = [
    "libmaxminddb/libmaxminddb-corrupt-search-tree.mmdb": .opensWithoutASN,
    "libmaxminddb/libmaxminddb-deep-array-nesting.mmdb": .lookupErrors,
    "libmaxminddb/libmaxminddb-deep-nesting.mmdb": .lookupErrors,
    "libmaxminddb/libmaxminddb-empty-array-last-in-metadata.mmdb": .opensWithoutASN,
    "libmaxminddb/libmaxminddb-empty-map-last-in-metadata.mmdb": .opensWithoutASN,
    "libmaxminddb/libmaxminddb-metadata-marker-only.mmdb": .rejectedAtOpen(
      "the lookup path does not match the data (key that doesn't exist, array index bigger than the array, expected array or map where none exists)"),
    "libmaxminddb/libmaxminddb-offset-integer-overflow.mmdb": .rejectedAtOpen(badData),
    "libmaxminddb/libmaxminddb-oversized-array.mmdb": .lookupErrors,
    "libmaxminddb/libmaxminddb-oversized-map.mmdb": .lookupErrors,
    "libmaxminddb/libmaxminddb-separator-record-max-left.mmdb": .lookupErrors,
    "libmaxminddb/libmaxminddb-separator-record-min-left.mmdb": .lookupErrors,
    "libmaxminddb/libmaxminddb-separator-record-min-right.mmdb": .lookupErrors,
    "libmaxminddb/libmaxminddb-uint64-max-epoch.mmdb": .opensWithoutASN,
    "maxminddb-golang/cyclic-data-structure.mmdb": .rejectedAtOpen(badData),
    "maxminddb-golang/invalid-bytes-length.mmdb": .rejectedAtOpen(badData),
    "maxminddb-golang/invalid-data-record-offset.mmdb": .rejectedAtOpen(badData),
    "maxminddb-golang/invalid-map-key-length.mmdb": .rejectedAtOpen(badData),
    "maxminddb-golang/invalid-string-length.mmdb": .rejectedAtOpen(badData),
    "maxminddb-golang/metadata-is-an-uint128.mmdb": .rejectedAtOpen(badData),
    "maxminddb-golang/unexpected-bytes.mmdb": .rejectedAtOpen(badData),
    "maxminddb-python/bad-unicode-in-map-key.mmdb": .lookupErrors,
  ]

  static let probes = [
    "0.0.0.0", "1.1.1.0", "1.1.1.1", "10.0.0.1", "216.160.83.56", "255.255.255.255", "::ffff:1.2.3.4",
    "::", "::1.1.1.1", "2001:db8::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
  ]

  @Test("every file in bad-data has an asserted behaviour")
  func allFilesCovered() throws {
    let root = EnrichmentFixtures.maxmind.appendingPathComponent("bad-data")
    let found = (FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? [])
      .filter { $0.hasSuffix(".mmdb") }
    #expect(Set(found) == Set(Self.expectations.keys))
  }

  @Test("opens with a clear error or looks up without crashing", .timeLimit(.minutes(1)),
        arguments: EnrichmentBadDataTests.expectations.keys.sorted())
  func behaves(file: String) throws {
    let path = EnrichmentFixtures.maxmind.appendingPathComponent("bad-data/\(file)").path
    let expected = try #require(Self.expectations[file])
    let database: MaxMindDatabase
    do {
      database = try MaxMindDatabase(path: path)
    } catch {
      guard case .rejectedAtOpen(let message) = expected else {
        Issue.record("\(file) was rejected at open: \(error)")
        return
      }
      #expect(error == .cannotOpen(path: path, message: message))
      #expect(error.description.hasPrefix(path + ": "))
      return
    }
    if case .rejectedAtOpen = expected { Issue.record("\(file) opened but should have been rejected") }
    var errors = 0
    for address in Self.probes {
      do {
        if let record = try database.record(for: address) {
          #expect(MaxMindASNDatabase.asnInfo(from: record) == nil, "\(file) \(address)")
        }
      } catch {
        errors += 1
        guard case .corruptRecord(let errorPath, let errorAddress, _) = error else {
          Issue.record("\(file): unexpected \(error)")
          continue
        }
        #expect(errorPath == path && errorAddress == address)
      }
    }
    switch expected {
    case .lookupErrors: #expect(errors > 0, "\(file)")
    case .opensWithoutASN: #expect(errors == 0, "\(file)")
    case .rejectedAtOpen: break
    }
  }

  @Test("a build_epoch of UINT64_MAX gives an unknown build date instead of trapping")
  func maxEpoch() throws {
    let path = EnrichmentFixtures.maxmind.appendingPathComponent("bad-data/libmaxminddb/libmaxminddb-uint64-max-epoch.mmdb").path
    let database = try MaxMindDatabase(path: path)
    #expect(database.metadata.buildEpoch == .max)
    #expect(database.metadata.buildDate == nil)
  }

  @Test("corrupt records surface as errors from the enricher, naming the file")
  func enricherSurfacesCorruption() throws {
    let path = EnrichmentFixtures.maxmind.appendingPathComponent("bad-data/maxminddb-python/bad-unicode-in-map-key.mmdb").path
    let database = try MaxMindDatabase(path: path)
    struct RawASN: ASNLookup {
      let database: MaxMindDatabase
      func asn(for address: String) throws(EnrichmentError) -> ASNInfo? {
        try database.record(for: address).flatMap(MaxMindASNDatabase.asnInfo(from:))
      }
      var databaseDescription: String { database.path }
    }
    let enricher = SourceEnricher(asn: RawASN(database: database))
    var document = JSONObject()
    document.set(path: "source.ip", .string("216.160.83.56"))
    let before = document
    #expect(throws: EnrichmentError.corruptRecord(path: path, address: "216.160.83.56", message: "the record contains invalid UTF-8")) {
      try enricher.enrich(&document)
    }
    #expect(document == before)
  }
}
