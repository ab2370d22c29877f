import Foundation
import Testing
@testable import TriageCore

/// First and last address of a CIDR block, as text libmaxminddb can be asked about.
private func edges(of cidr: String) throws -> (first: String, last: String) {
  let parts = cidr.split(separator: "/")
  let base = try #require(IPAddress(String(parts[0])))
  let prefix = try #require(Int(parts[1]))
  switch base {
  case .v4(let value):
    let hostMask: UInt32 = prefix == 0 ? .max : (1 << (32 - prefix)) - 1
    return (IPAddress.v4(value & ~hostMask).description, IPAddress.v4(value | hostMask).description)
  case .v6(let value):
    let hostMask: UInt128 = prefix == 0 ? .max : (1 << (128 - prefix)) - 1
    return (IPAddress.v6(value & ~hostMask).description, IPAddress.v6(value | hostMask).description)
  }
}

/// The networks of a MaxMind source-data file with their expected record.
private func sourceData(_ name: String) throws -> [(network: String, record: JSONObject)] {
  let value = try EnrichmentFixtures.json(EnrichmentFixtures.maxmind.appendingPathComponent("source-data/\(name)"))
  return try #require(value.arrayValue).map { entry in
    let member = try #require(entry.objectValue?.members.first)
    return (member.key, try #require(member.value.objectValue))
  }
}

@Suite("Enrichment: MaxMind databases through libmaxminddb", .enabled(if: EnrichmentFixtures.available))
struct EnrichmentMaxMindTests {
  @Test("every GeoLite2-ASN-Test network answers at its first and last address (IPv4 and IPv6)")
  func asnSourceData() throws {
    let database = try MaxMindASNDatabase(path: EnrichmentFixtures.testData("GeoLite2-ASN-Test.mmdb"))
    let networks = try sourceData("GeoLite2-ASN-Test.json")
    #expect(networks.count > 700)
    var families = Set<Bool>()
    for (network, record) in networks {
      let expected = ASNInfo(number: try #require(record["autonomous_system_number"]?.keywordText.flatMap { Int($0) }),
                             organization: record["autonomous_system_organization"]?.stringValue)
      let (first, last) = try edges(of: network)
      families.insert(network.contains(":"))
      #expect(try database.asn(for: first) == expected, "\(network) first \(first)")
      #expect(try database.asn(for: last) == expected, "\(network) last \(last)")
    }
    #expect(families == [true, false])
  }

  @Test("GeoIP2-ISP has the same ASN fields")
  func ispSourceData() throws {
    let database = try MaxMindASNDatabase(path: EnrichmentFixtures.testData("GeoIP2-ISP-Test.mmdb"))
    var checked = 0
    for (network, record) in try sourceData("GeoIP2-ISP-Test.json") {
      guard let number = record["autonomous_system_number"]?.keywordText.flatMap({ Int($0) }) else { continue }
      let expected = ASNInfo(number: number, organization: record["autonomous_system_organization"]?.stringValue)
      let (first, last) = try edges(of: network)
      #expect(try database.asn(for: first) == expected, "\(network) first \(first)")
      #expect(try database.asn(for: last) == expected, "\(network) last \(last)")
      checked += 1
    }
    #expect(checked == 719)
    // Networks with only isp/organization (no AS number) give no ASN rather than a made-up one.
    #expect(try database.asn(for: "::1.0.128.0") == nil)
  }

  @Test("Elastic's fixture addresses: AS209 without organization in this build, Bredband2, none for London")
  func asnFixtureAddresses() throws {
    let database = try MaxMindASNDatabase(path: EnrichmentFixtures.testData("GeoLite2-ASN-Test.mmdb"))
    #expect(try database.asn(for: "216.160.83.56") == ASNInfo(number: 209, organization: nil))
    #expect(try database.asn(for: "89.160.20.156") == ASNInfo(number: 29518, organization: "Bredband2 AB"))
    #expect(try database.asn(for: "::ffff:89.160.20.156") == ASNInfo(number: 29518, organization: "Bredband2 AB"))
    #expect(try database.asn(for: "81.2.69.144") == nil)
    #expect(try database.asn(for: "10.0.0.1") == nil)
    #expect(try database.asn(for: "not-an-ip") == nil)
    #expect(try database.asn(for: "fe80::1%eth0") == nil)
  }

  @Test("City lookups produce exactly Elastic's default geo properties")
  func cityAgainstElasticFixtures() throws {
    let city = try MaxMindCityDatabase(path: EnrichmentFixtures.testData("GeoLite2-City-Test.mmdb"))
    let asn = try MaxMindASNDatabase(path: EnrichmentFixtures.testData("GeoLite2-ASN-Test.mmdb"))
    let enricher = SourceEnricher(asn: asn, geo: city)
    // test-create-lambda was generated with the same test-database build as ours (Milton, AS209
    // without organization); test-add-permission used a later build (Poulsbo, with organization),
    // so it cannot be compared against this database.
    for (fixture, ip) in [("test-create-lambda-json.log-expected.json", "216.160.83.56"),
                          ("test-assume-role-email-session-json.log-expected.json", "81.2.69.144")] {
      let expected = try EnrichmentFixtures.json(EnrichmentFixtures.elastic.appendingPathComponent(fixture))
      let source = try #require(expected[path: "expected"]?.arrayValue?.first?[path: "source"]?.objectValue)
      var document = JSONObject()
      document.set(path: "source.address", .string(ip))
      document.set(path: "source.ip", .string(ip))
      try enricher.enrich(&document)
      #expect(document[path: "source.geo"] == source["geo"], "\(fixture)")
      #expect(document[path: "source.as"] == source["as"], "\(fixture)")
    }
  }

  @Test("89.160.20.156 resolves to Linköping with the most specific subdivision")
  func linkoping() throws {
    let city = try MaxMindCityDatabase(path: EnrichmentFixtures.testData("GeoLite2-City-Test.mmdb"))
    let info = try #require(try city.geo(for: "89.160.20.156"))
    #expect(info == GeoInfo(continentName: "Europe", countryName: "Sweden", countryISOCode: "SE", regionISOCode: "SE-E",
                            regionName: "Östergötland County", cityName: "Linköping", location: (58.4167, 15.6167)))
    #expect(try city.geo(for: "10.1.2.3") == nil)
    #expect(try city.geo(for: "2001:db8::1") == nil)
  }

  @Test("every database in test-data opens, except the one built with an invalid node count")
  func testDataOpens() throws {
    let directory = EnrichmentFixtures.maxmind.appendingPathComponent("test-data")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mmdb") }.sorted()
    #expect(names.count >= 20)
    for name in names {
      let path = directory.appendingPathComponent(name).path
      if name == "GeoIP2-City-Test-Invalid-Node-Count.mmdb" {
        #expect(throws: EnrichmentError.cannotOpen(path: path, message: "the MaxMind DB file contains invalid metadata")) {
          try MaxMindDatabase(path: path)
        }
        continue
      }
      let database = try MaxMindDatabase(path: path)
      #expect(!database.metadata.databaseType.isEmpty, "\(name)")
      #expect([4, 6].contains(database.metadata.ipVersion), "\(name)")
    }
  }

  @Test("metadata: type, build date, IP version")
  func metadata() throws {
    let database = try MaxMindDatabase(path: EnrichmentFixtures.testData("GeoLite2-ASN-Test.mmdb"))
    #expect(database.metadata.databaseType == "GeoLite2-ASN")
    #expect(database.metadata.buildEpoch == 1_770_245_369)
    #expect(database.metadata.buildDate == "2026-02-04")
    #expect(database.metadata.ipVersion == 6)
    let ipv4 = try MaxMindDatabase(path: EnrichmentFixtures.testData("MaxMind-DB-test-ipv4-24.mmdb"))
    #expect(ipv4.metadata.ipVersion == 4)
    // An IPv6 address against an IPv4-only tree is "not found", a mapped one is its IPv4 address.
    #expect(try ipv4.record(for: "2001:db8::1") == nil)
    #expect(try ipv4.record(for: "::ffff:1.1.1.1")?["ip"] == .string("1.1.1.1"))
  }

  @Test("the decoder test database round-trips every MaxMind data type")
  func decoder() throws {
    let database = try MaxMindDatabase(path: EnrichmentFixtures.testData("MaxMind-DB-test-decoder.mmdb"))
    let record = try #require(try database.record(for: "1.1.1.0"))
    #expect(record["array"] == .array([.unsigned(1), .unsigned(2), .unsigned(3)]))
    #expect(record["boolean"] == .bool(true))
    #expect(record["bytes"] == .bytes([0, 0, 0, 42]))
    #expect(record["double"] == .double(42.123456))
    #expect(record["float"] == .float(1.1))
    #expect(record["int32"] == .int32(-268_435_456))
    #expect(record["map"]?["mapX"]?["arrayX"] == .array([.unsigned(7), .unsigned(8), .unsigned(9)]))
    #expect(record["map"]?["mapX"]?["utf8_stringX"] == .string("hello"))
    #expect(record["uint128"] == .uint128(1 << 120))
    #expect(record["uint16"] == .unsigned(100))
    #expect(record["uint32"] == .unsigned(268_435_456))
    #expect(record["uint64"] == .unsigned(1 << 60))
    #expect(record["utf8_string"] == .string("unicode! ☯ - ♫"))
  }

  @Test("a missing file and a non-database are open errors naming the file")
  func openErrors() throws {
    let directory = try EnrichmentFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = directory.appendingPathComponent("GeoLite2-ASN.mmdb").path
    do {
      _ = try MaxMindDatabase(path: missing)
      Issue.record("opened a missing file")
    } catch {
      #expect(error.path == missing)
      #expect(error.description.hasPrefix("\(missing): error opening the specified MaxMind DB file"))
    }
    let text = directory.appendingPathComponent("notes.mmdb")
    try Data("hello".utf8).write(to: text)
    #expect(throws: EnrichmentError.cannotOpen(path: text.path, message: "the MaxMind DB file contains invalid metadata")) {
      try MaxMindDatabase(path: text.path)
    }
    #expect(throws: EnrichmentError.wrongDatabaseKind(path: EnrichmentFixtures.testData("GeoLite2-City-Test.mmdb"),
                                                      databaseType: "GeoLite2-City", expected: "an ASN or ISP database")) {
      try MaxMindASNDatabase(path: EnrichmentFixtures.testData("GeoLite2-City-Test.mmdb"))
    }
  }

  @Test("concurrent lookups on one database agree with serial ones")
  func concurrentLookups() async throws {
    let database = try MaxMindASNDatabase(path: EnrichmentFixtures.testData("GeoLite2-ASN-Test.mmdb"))
    let addresses = try sourceData("GeoLite2-ASN-Test.json").map { try edges(of: $0.network).first }
    let serial = try addresses.map { try database.asn(for: $0) }
    let parallel = try await withThrowingTaskGroup(of: (Int, ASNInfo?).self) { group in
      for (index, address) in addresses.enumerated() {
        group.addTask { (index, try database.asn(for: address)) }
      }
      var results = [ASNInfo?](repeating: nil, count: addresses.count)
      for try await (index, info) in group { results[index] = info }
      return results
    }
    #expect(parallel == serial)
  }
}
