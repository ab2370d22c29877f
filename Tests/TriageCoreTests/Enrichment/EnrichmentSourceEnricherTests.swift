import Foundation
import Testing
@testable import TriageCore

/// Fixed answers, so the enricher's own rules are tested apart from any database.
private struct FixedASN: ASNLookup {
  var answers: [String: ASNInfo]
  var failing: Set<String> = []
  func asn(for address: String) throws(EnrichmentError) -> ASNInfo? {
    if failing.contains(address) { throw .corruptRecord(path: "asn.mmdb", address: address, message: "broken") }
    return answers[address]
  }
  var databaseDescription: String { "fixed" }
}

private struct FixedGeo: GeoLookup {
  var answers: [String: GeoInfo]
  func geo(for address: String) throws(EnrichmentError) -> GeoInfo? { answers[address] }
  var databaseDescription: String { "fixed" }
}

private func document(_ json: String) throws -> JSONObject {
  try #require(try JSONParser.parse(json).objectValue)
}

@Suite("Enrichment: source enricher")
struct EnrichmentSourceEnricherTests {
  let enricher = SourceEnricher(
    asn: FixedASN(answers: [
      "216.160.83.56": ASNInfo(number: 209, organization: "CENTURYLINK-US-LEGACY-QWEST"),
      "2001:db8::5": ASNInfo(number: 64496, organization: nil),
    ], failing: ["198.51.100.9"]),
    geo: FixedGeo(answers: [
      "216.160.83.56": GeoInfo(countryISOCode: "US", cityName: "Milton", location: (47.2513, -122.3149)),
      "198.51.100.9": GeoInfo(countryName: "Nowhere"),
    ]))

  @Test("adds source.as and source.geo where source.ip is known")
  func adds() throws {
    var doc = try document(#"{"source":{"address":"216.160.83.56","ip":"216.160.83.56"}}"#)
    let added = try enricher.enrich(&doc)
    #expect(added == [.asn, .geo])
    #expect(JSONWriter.compact(.object(doc)) == #"{"source":{"address":"216.160.83.56","ip":"216.160.83.56","as":{"number":209,"organization":{"name":"CENTURYLINK-US-LEGACY-QWEST"}},"geo":{"city_name":"Milton","country_iso_code":"US","location":{"lat":47.2513,"lon":-122.3149}}}}"#)
  }

  @Test("an ASN without organization writes only the number; IPv6 works the same")
  func numberOnly() throws {
    var doc = try document(#"{"source":{"ip":"2001:db8::5"}}"#)
    #expect(try enricher.enrich(&doc) == [.asn])
    #expect(JSONWriter.compact(.object(doc)) == #"{"source":{"ip":"2001:db8::5","as":{"number":64496}}}"#)
  }

  @Test("documents without a string source.ip are left alone", arguments: [
    #"{"source":{"address":"lambda.amazonaws.com"}}"#,
    #"{"event":{"action":"Invoke"}}"#,
    #"{"source":{"ip":["216.160.83.56"]}}"#,
    #"{"source":{"ip":null}}"#,
  ])
  func skipsWithoutIP(json: String) throws {
    var doc = try document(json)
    let before = doc
    #expect(try enricher.enrich(&doc) == [])
    #expect(doc == before)
  }

  @Test("unknown and private addresses add nothing")
  func unknown() throws {
    var doc = try document(#"{"source":{"ip":"10.0.0.1"}}"#)
    let before = doc
    #expect(try enricher.enrich(&doc) == [])
    #expect(doc == before)
  }

  @Test("existing enrichment is never overwritten, nested or dotted", arguments: [
    (#"{"source":{"ip":"216.160.83.56","as":{"number":1}}}"#, SourceEnricher.Added.geo),
    (#"{"source":{"ip":"216.160.83.56","as":{"organization":{"name":"Existing"}}}}"#, .geo),
    (#"{"source.ip":"216.160.83.56","source.as.organization.name":"Existing"}"#, .geo),
    (#"{"source":{"ip":"216.160.83.56","as.number":7}}"#, .geo),
    (#"{"source":{"ip":"216.160.83.56","geo":{"city_name":"Elsewhere"}}}"#, .asn),
    (#"{"source.ip":"216.160.83.56","source.geo.country_iso_code":"SE"}"#, .asn),
    (#"{"source":{"ip":"216.160.83.56","geo":{}, "as":{}}}"#, []),
  ] as [(String, SourceEnricher.Added)])
  func neverOverwrites(json: String, expected: SourceEnricher.Added) throws {
    var doc = try document(json)
    let before = try document(json)
    #expect(try enricher.enrich(&doc) == expected)
    // Every value that was there is still there, unchanged.
    for member in before.members {
      if case .object(let original) = member.value {
        for inner in original.members {
          #expect(doc[member.key]?.objectValue?[inner.key] == inner.value, "\(member.key).\(inner.key)")
        }
      } else {
        #expect(doc[member.key] == member.value, "\(member.key)")
      }
    }
    #expect((doc[path: "source.as.number"] == .number(JSONNumber(209))) == expected.contains(.asn))
    #expect((doc[path: "source.geo.city_name"] == .string("Milton")) == expected.contains(.geo))
  }

  @Test("a corrupt record is thrown for the caller to count; the other database's answer stays")
  func corruptRecord() throws {
    var doc = try document(#"{"source":{"ip":"198.51.100.9"}}"#)
    #expect(throws: EnrichmentError.corruptRecord(path: "asn.mmdb", address: "198.51.100.9", message: "broken")) {
      try enricher.enrich(&doc)
    }
    #expect(doc[path: "source.geo.country_name"] == .string("Nowhere"))
    #expect(doc[path: "source.as"] == nil)
  }

  @Test("works with an ip2asn table and without a geo database")
  func withTable() throws {
    let table = try IP2ASNTable(contents: "216.160.83.0\t216.160.83.255\t209\tUS\tCENTURYLINK-US-LEGACY-QWEST\n", path: "t.tsv")
    var doc = try document(#"{"source":{"ip":"216.160.83.56"}}"#)
    #expect(try SourceEnricher(asn: table).enrich(&doc) == [.asn])
    #expect(doc[path: "source.as.organization.name"] == .string("CENTURYLINK-US-LEGACY-QWEST"))
    #expect(doc[path: "source.geo"] == nil)
  }
}
