import CZlib
import Foundation
import Testing
@testable import TriageCore

private let sample = """
  # ip2asn sample: IPv4 and IPv6 in one file, like ip2asn-combined.tsv
  0.0.0.0\t0.255.255.255\t0\tNone\tNot routed
  1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET
  1.0.1.0\t1.0.3.255\t0\tNone\tNot routed
  1.0.4.0\t1.0.7.255\t38803\tAU\tWPL-AS-AP Wirefreebroadband Pty Ltd
  1.0.8.0\t1.0.8.255\t4\tUS\tnot routed
  203.0.113.7\t203.0.113.7\t64500\tZZ\t
  255.255.255.0\t255.255.255.255\t64511\tZZ\tTOP-OF-SPACE

  2001:200::\t2001:200:5ff:ffff:ffff:ffff:ffff:ffff\t2500\tJP\tWIDE-BB WIDE Project\r
  2001:200:600::\t2001:200:6ff:ffff:ffff:ffff:ffff:ffff\t7667\tJP\tWIDE-6BONE
  2001:200:900::\t2001:200:9ff:ffff:ffff:ffff:ffff:ffff\t0\tNone\tNot routed
  ::ffff:9.9.9.0\t::ffff:9.9.9.255\t19281\tUS\tQUAD9-AS-1
  ffff:ffff:ffff:ffff::\tffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff\t64512\tZZ\tTOP-OF-V6
  """

@Suite("Enrichment: ip2asn TSV table")
struct EnrichmentIP2ASNTests {
  let table: IP2ASNTable

  init() throws {
    table = try IP2ASNTable(contents: sample, path: "sample.tsv")
  }

  @Test("IPv4 range edges: first, last, one before, one after", arguments: [
    ("1.0.0.0", ASNInfo(number: 13335, organization: "CLOUDFLARENET")),
    ("1.0.0.255", ASNInfo(number: 13335, organization: "CLOUDFLARENET")),
    ("0.255.255.255", nil),
    ("1.0.1.0", nil),
    ("1.0.3.255", nil),
    ("1.0.4.0", ASNInfo(number: 38803, organization: "WPL-AS-AP Wirefreebroadband Pty Ltd")),
    ("1.0.7.255", ASNInfo(number: 38803, organization: "WPL-AS-AP Wirefreebroadband Pty Ltd")),
    ("1.0.8.0", nil),
    ("203.0.113.6", nil),
    ("203.0.113.7", ASNInfo(number: 64500, organization: nil)),
    ("203.0.113.8", nil),
    ("255.255.254.255", nil),
    ("255.255.255.0", ASNInfo(number: 64511, organization: "TOP-OF-SPACE")),
    ("255.255.255.255", ASNInfo(number: 64511, organization: "TOP-OF-SPACE")),
    ("0.0.0.0", nil),
  ] as [(String, ASNInfo?)])
  func ipv4Edges(address: String, expected: ASNInfo?) {
    #expect(table.asn(for: address) == expected)
  }

  @Test("IPv6 range edges, Not routed rows, and the top of the address space", arguments: [
    ("2001:200::", ASNInfo(number: 2500, organization: "WIDE-BB WIDE Project")),
    ("2001:200:5ff:ffff:ffff:ffff:ffff:ffff", ASNInfo(number: 2500, organization: "WIDE-BB WIDE Project")),
    ("2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", nil),
    ("2001:200:600::", ASNInfo(number: 7667, organization: "WIDE-6BONE")),
    ("2001:0200:06ff:ffff:ffff:ffff:ffff:ffff", ASNInfo(number: 7667, organization: "WIDE-6BONE")),
    ("2001:200:700::", nil),
    ("2001:200:9ab::1", nil),
    ("ffff:ffff:ffff:fffe:ffff:ffff:ffff:ffff", nil),
    ("ffff:ffff:ffff:ffff::", ASNInfo(number: 64512, organization: "TOP-OF-V6")),
    ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ASNInfo(number: 64512, organization: "TOP-OF-V6")),
    ("::", nil),
  ] as [(String, ASNInfo?)])
  func ipv6Edges(address: String, expected: ASNInfo?) {
    #expect(table.asn(for: address) == expected)
  }

  @Test("IPv4-mapped IPv6 addresses use the IPv4 rows, and mapped rows answer plain IPv4")
  func mapped() {
    #expect(table.asn(for: "::ffff:1.0.0.1") == ASNInfo(number: 13335, organization: "CLOUDFLARENET"))
    #expect(table.asn(for: "::ffff:0100:0001") == ASNInfo(number: 13335, organization: "CLOUDFLARENET"))
    #expect(table.asn(for: "9.9.9.9") == ASNInfo(number: 19281, organization: "QUAD9-AS-1"))
    #expect(table.asn(for: "::ffff:9.9.9.9") == ASNInfo(number: 19281, organization: "QUAD9-AS-1"))
    #expect(table.asn(for: "9.9.10.0") == nil)
    // An IPv4-compatible (not mapped) address is a different IPv6 address.
    #expect(table.asn(for: "::1.0.0.1") == nil)
  }

  @Test("routed ranges are kept, Not routed and AS 0 rows are not")
  func counts() {
    #expect(table.rangeCount.ipv4 == 4)
    #expect(table.rangeCount.ipv6 == 4)
  }

  @Test("unparsable addresses answer nothing", arguments: ["", "1.0.0", "1.0.0.256", "01.0.0.1", "1.0.0.1/32", "2001:200::%eth0", "example.com"])
  func invalidAddresses(address: String) {
    #expect(table.asn(for: address) == nil)
  }

  @Test("unsorted rows are sorted before searching")
  func unsorted() throws {
    let rows = sample.split(separator: "\n").reversed().joined(separator: "\n")
    let reversed = try IP2ASNTable(contents: rows, path: "reversed.tsv")
    for address in ["1.0.0.0", "1.0.7.255", "1.0.8.0", "255.255.255.255", "2001:200:6ff::1", "9.9.9.9"] {
      #expect(reversed.asn(for: address) == table.asn(for: address), "\(address)")
    }
  }

  @Test("malformed rows are reported as file:line with the reason", arguments: [
    ("1.0.0.0\t1.0.0.255\t13335\tUS", 2, "expected 5 tab-separated fields (range_start, range_end, AS_number, country_code, AS_description), found 4"),
    ("1.0.0.x\t1.0.0.255\t13335\tUS\tX", 2, "range start \"1.0.0.x\" is not an IP address"),
    ("1.0.0.0\t1.0.0.256\t13335\tUS\tX", 2, "range end \"1.0.0.256\" is not an IP address"),
    ("1.0.0.0\t1.0.0.255\tAS13335\tUS\tX", 2, "AS number \"AS13335\" is not a 32-bit decimal number"),
    ("1.0.0.0\t1.0.0.255\t4294967296\tUS\tX", 2, "AS number \"4294967296\" is not a 32-bit decimal number"),
    ("1.0.0.0\t1.0.0.255\t\tUS\tX", 2, "AS number \"\" is not a 32-bit decimal number"),
    ("1.0.0.9\t1.0.0.1\t13335\tUS\tX", 2, "range start 1.0.0.9 is after range end 1.0.0.1"),
    ("1.0.0.0\t::ffff\t13335\tUS\tX", 2, "range start 1.0.0.0 and range end ::ffff are not the same IP version"),
  ] as [(String, Int, String)])
  func malformed(row: String, line: Int, reason: String) {
    let contents = "8.8.8.0\t8.8.8.255\t15169\tUS\tGOOGLE\n\(row)\n9.0.0.0\t9.0.0.1\t1\tUS\tZ\n"
    #expect(throws: EnrichmentError.malformedRow(path: "bad.tsv", line: line, reason: reason)) {
      try IP2ASNTable(contents: contents, path: "bad.tsv")
    }
  }

  @Test("overlapping ranges are an error naming both rows")
  func overlap() throws {
    let contents = "1.0.0.0\t1.0.0.255\t1\tUS\tA\n\n1.0.0.128\t1.0.1.0\t2\tUS\tB\n"
    do {
      _ = try IP2ASNTable(contents: contents, path: "overlap.tsv")
      Issue.record("accepted overlapping ranges")
    } catch {
      #expect(error == .malformedRow(path: "overlap.tsv", line: 3, reason: "range overlaps the range on overlap.tsv:1"))
      #expect(error.description == "overlap.tsv:3: range overlaps the range on overlap.tsv:1")
    }
  }

  @Test("IPv4 and IPv6 in two files, one gzip-compressed; a truncated gzip is an error")
  func files() throws {
    let directory = try EnrichmentFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let lines = sample.split(separator: "\n", omittingEmptySubsequences: false)
    let v4 = directory.appendingPathComponent("ip2asn-v4.tsv")
    try lines.filter { !$0.contains(":") }.joined(separator: "\n").write(to: v4, atomically: true, encoding: .utf8)
    let v6 = directory.appendingPathComponent("ip2asn-v6.tsv.gz")
    let v6Text = lines.filter { $0.contains(":") }.joined(separator: "\n")
    let gz = try #require(gzopen(v6.path, "wb"))
    _ = v6Text.withCString { gzwrite(gz, $0, UInt32(strlen($0))) }
    gzclose(gz)
    let twoFiles = try IP2ASNTable(paths: [v4.path, v6.path])
    for address in ["1.0.0.0", "1.0.8.0", "2001:200::1", "2001:200:700::", "9.9.9.9", "255.255.255.255"] {
      #expect(twoFiles.asn(for: address) == table.asn(for: address), "\(address)")
    }
    #expect(twoFiles.modificationDate != nil)
    #expect(twoFiles.databaseDescription.contains("ip2asn TSV, 4 IPv4 + 4 IPv6 ranges"))

    let bad = directory.appendingPathComponent("bad-v4.tsv")
    try "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n1.2.3.4\n".write(to: bad, atomically: true, encoding: .utf8)
    #expect(throws: EnrichmentError.malformedRow(path: bad.path, line: 2, reason: "expected 5 tab-separated fields (range_start, range_end, AS_number, country_code, AS_description), found 1")) {
      try IP2ASNTable(paths: [v4.path, bad.path])
    }

    let whole = try Data(contentsOf: v6)
    let truncated = directory.appendingPathComponent("truncated.tsv.gz")
    try whole.prefix(whole.count - 12).write(to: truncated)
    do {
      _ = try IP2ASNTable(path: truncated.path)
      Issue.record("accepted a truncated gzip")
    } catch {
      guard case .unreadable(let path, _) = error else { Issue.record("unexpected \(error)"); return }
      #expect(path == truncated.path)
    }
    #expect(throws: EnrichmentError.self) { try IP2ASNTable(path: directory.appendingPathComponent("missing.tsv").path) }
  }

  @Test("a 500k-row table loads quickly and answers at its edges", .timeLimit(.minutes(1)))
  func large() throws {
    var text = ""
    text.reserveCapacity(500_000 * 48)
    // 400k IPv4 rows of 256 addresses each and 100k IPv6 /48s, every 10th row "Not routed".
    for index in 0..<400_000 {
      let start = UInt32(16_777_216 + index * 256)
      let number = index % 10 == 0 ? 0 : 1000 + index % 5000
      let name = number == 0 ? "Not routed" : "AS-NAME-\(number % 5000)"
      text += "\(IPAddress.v4(start))\t\(IPAddress.v4(start + 255))\t\(number)\tUS\t\(name)\n"
    }
    for index in 0..<100_000 {
      let start = (UInt128(0x2a00) << 112) | (UInt128(index) << 80)
      text += "\(IPAddress.v6(start))\t\(IPAddress.v6(start | ((1 << 80) - 1)))\t\(70000 + index % 100)\tDE\tV6-\(index % 100)\n"
    }
    let clock = ContinuousClock()
    var loaded: IP2ASNTable?
    let elapsed = try clock.measure { loaded = try IP2ASNTable(contents: text, path: "large.tsv") }
    let large = try #require(loaded)
    #expect(large.rangeCount.ipv4 == 360_000)
    #expect(large.rangeCount.ipv6 == 100_000)
    #expect(large.asn(for: "1.0.1.0") == ASNInfo(number: 1001, organization: "AS-NAME-1001"))
    #expect(large.asn(for: "1.0.1.255") == ASNInfo(number: 1001, organization: "AS-NAME-1001"))
    #expect(large.asn(for: "1.0.0.255") == nil)
    #expect(large.asn(for: "\(IPAddress.v4(16_777_216 + 399_999 * 256 + 255))")?.number == 1000 + 399_999 % 5000)
    #expect(large.asn(for: "\(IPAddress.v4(16_777_216 + 400_000 * 256))") == nil)
    #expect(large.asn(for: "2a00:0:1::") == ASNInfo(number: 70001, organization: "V6-1"))
    #expect(large.asn(for: "2a00:1:86a0::") == nil)
    // Release builds must stay well under a second (about 0.3 s on 2 cores). Unoptimised debug
    // builds are ~25x slower, so there the bound only catches an accidental quadratic step.
    #if DEBUG
    let limit = Duration.seconds(30)
    #else
    let limit = Duration.seconds(1)
    #endif
    #expect(elapsed < limit, "\(elapsed)")
    print("ip2asn: 500k rows parsed in \(elapsed)")
  }
}
