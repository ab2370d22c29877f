import CZlib
import Foundation

/// Finds the ASN and City databases when the user did not name them, in the order a user
/// expects: command-line flag, environment variable, a database among the input paths, then the
/// directories geoipupdate writes to. The environment and directories are injected so tests do
/// not depend on the machine.
public struct EnrichmentDatabaseLocator: Sendable {
  public static let asnEnvironmentVariable = "LAMBDA_TRIAGE_ASN_DB"
  public static let geoEnvironmentVariable = "LAMBDA_TRIAGE_GEO_DB"
  public static let standardDirectories = ["/usr/share/GeoIP", "/var/lib/GeoIP", "/usr/local/share/GeoIP"]
  /// File names geoipupdate (MaxMind) and DB-IP's downloads use; a trailing `*` matches a dated
  /// suffix such as `dbip-asn-lite-2024-06.mmdb`, newest (highest sorting) first.
  static let standardASNNames = ["GeoLite2-ASN.mmdb", "GeoIP2-ISP.mmdb", "dbip-asn-lite*.mmdb", "dbip-asn*.mmdb"]
  static let standardCityNames = ["GeoLite2-City.mmdb", "GeoIP2-City.mmdb", "dbip-city-lite*.mmdb", "dbip-city*.mmdb"]

  /// Printed when no ASN database was found, so the user learns what they are missing and how
  /// to fix it rather than just seeing fewer alerts.
  public static let missingASNHint = """
    no ASN database found: events are not enriched with source.as.*, so rules on \
    source.as.organization.name (rule B) cannot see them. Provide one with --asn-db FILE, \
    $\(asnEnvironmentVariable), a GeoLite2-ASN / DB-IP ASN .mmdb or an ip2asn .tsv among the input \
    paths, or install GeoLite2-ASN.mmdb with geoipupdate into /usr/share/GeoIP.
    """

  public struct Result: Sendable {
    public var asn: LocatedDatabase?
    public var geo: LocatedDatabase?
  }

  public var environment: [String: String]
  public var searchDirectories: [String]

  public init(environment: [String: String] = ProcessInfo.processInfo.environment,
              searchDirectories: [String] = EnrichmentDatabaseLocator.standardDirectories) {
    self.environment = environment
    self.searchDirectories = searchDirectories
  }

  /// Picks each database independently. A database named explicitly (flag or environment) must
  /// exist and be of the right kind, otherwise this throws: silently falling back would run
  /// with a database the user did not choose. Files found by searching are classified by
  /// content (mmdb metadata, TSV rows), and ones of another kind are passed over; a corrupt
  /// `.mmdb` found anywhere is still an error naming it, since the user put it there.
  public func locate(inputPaths: [String], asnFlag: String? = nil, geoFlag: String? = nil) throws(EnrichmentError) -> Result {
    var result = Result()
    if let asnFlag {
      result.asn = try explicit(asnFlag, role: .maxMindASN, origin: .flag)
    } else if let path = environment[Self.asnEnvironmentVariable], !path.isEmpty {
      result.asn = try explicit(path, role: .maxMindASN, origin: .environment(Self.asnEnvironmentVariable))
    }
    if let geoFlag {
      result.geo = try explicit(geoFlag, role: .maxMindCity, origin: .flag)
    } else if let path = environment[Self.geoEnvironmentVariable], !path.isEmpty {
      result.geo = try explicit(path, role: .maxMindCity, origin: .environment(Self.geoEnvironmentVariable))
    }
    if result.asn == nil || result.geo == nil {
      for candidate in Self.candidateFiles(in: inputPaths) {
        guard let found = try classify(candidate, origin: .inputPath) else { continue }
        if found.kind == .maxMindCity {
          if result.geo == nil { result.geo = found }
        } else if result.asn == nil {
          result.asn = found
        }
        if result.asn != nil && result.geo != nil { break }
      }
    }
    if result.asn == nil {
      result.asn = try standard(names: Self.standardASNNames, wanted: .maxMindASN)
    }
    if result.geo == nil {
      result.geo = try standard(names: Self.standardCityNames, wanted: .maxMindCity)
    }
    return result
  }

  private func explicit(_ path: String, role: LocatedDatabase.Kind, origin: LocatedDatabase.Origin) throws(EnrichmentError) -> LocatedDatabase {
    guard FileManager.default.isReadableFile(atPath: path) else {
      let source = if case .environment(let name) = origin { " (named by $\(name))" } else { "" }
      throw .unreadable(path: path, message: "no readable file there\(source)")
    }
    guard let found = try classify(path, origin: origin) else {
      throw .wrongDatabaseKind(path: path, databaseType: "unrecognised",
                               expected: role == .maxMindCity ? "a City database" : "an ASN database (.mmdb or ip2asn TSV)")
    }
    let fits = role == .maxMindCity ? found.kind == .maxMindCity : found.kind != .maxMindCity
    guard fits else {
      throw .wrongDatabaseKind(path: path, databaseType: found.databaseType ?? "ip2asn TSV",
                               expected: role == .maxMindCity ? "a City database" : "an ASN database (.mmdb or ip2asn TSV)")
    }
    return found
  }

  private func standard(names: [String], wanted: LocatedDatabase.Kind) throws(EnrichmentError) -> LocatedDatabase? {
    for directory in searchDirectories {
      guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
      for name in names {
        let matches: [String]
        if name.hasSuffix("*.mmdb") {
          let prefix = String(name.dropLast("*.mmdb".count))
          matches = entries.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".mmdb") }.sorted(by: >)
        } else {
          matches = entries.contains(name) ? [name] : []
        }
        for match in matches {
          let path = (directory as NSString).appendingPathComponent(match)
          if let found = try classify(path, origin: .standardLocation), found.kind == wanted { return found }
        }
      }
    }
    return nil
  }

  /// nil when the file is not a database we can use (wrong content, other mmdb type).
  func classify(_ path: String, origin: LocatedDatabase.Origin) throws(EnrichmentError) -> LocatedDatabase? {
    // A name given explicitly is trusted to be a database, so its content decides even without
    // a .tsv extension; files met while searching must also be named like one.
    let explicitlyNamed = origin != .inputPath && origin != .standardLocation
    let isMMDB = Self.hasMMDBMarker(path)
    if !isMMDB, Self.looksLikeIP2ASN(path, requireExtension: !explicitlyNamed) {
      let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
      let date = modified.flatMap { MaxMindMetadata.isoDate(epochSeconds: UInt64(max(0, $0.timeIntervalSince1970))) }
      return LocatedDatabase(path: path, kind: .ip2asnTSV, origin: origin, buildDate: date, databaseType: nil, database: nil)
    }
    // A corrupt file may have lost its marker; its .mmdb name still makes it a database the user
    // meant us to use, so it goes to libmaxminddb and fails there with a reason.
    guard isMMDB || path.lowercased().hasSuffix(".mmdb") else { return nil }
    let database = try MaxMindDatabase(path: path)
    let kind: LocatedDatabase.Kind
    switch MaxMindDatabaseKind(databaseType: database.metadata.databaseType) {
    case .asn: kind = .maxMindASN
    case .city: kind = .maxMindCity
    case .other: return nil
    }
    return LocatedDatabase(path: path, kind: kind, origin: origin, buildDate: database.metadata.buildDate,
                           databaseType: database.metadata.databaseType, database: database)
  }

  /// Files among the inputs whose names suggest a database, in a stable order so the same inputs
  /// always pick the same database. Directories are walked recursively (an S3 sync tree may hold
  /// the TSV anywhere); CloudTrail's own files are never opened here.
  static func candidateFiles(in inputPaths: [String]) -> [String] {
    func isCandidate(_ name: String) -> Bool {
      let lower = name.lowercased()
      return lower.hasSuffix(".mmdb") || lower.hasSuffix(".tsv") || lower.hasSuffix(".tsv.gz")
    }
    var found: [String] = []
    for input in inputPaths where input != "-" {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else { continue }
      if isDirectory.boolValue {
        var inDirectory: [String] = []
        walk(input.count > 1 && input.hasSuffix("/") ? String(input.dropLast()) : input) { path in
          if isCandidate(path) { inDirectory.append(path) }
        }
        found.append(contentsOf: inDirectory.sorted())
      } else if isCandidate(input) {
        found.append(input)
      }
    }
    return found
  }

  /// Every file below `directory`, hidden ones included; symlinked directories are not entered
  /// (no loops). Plain readdir: an S3 tree holds thousands of objects, and Foundation's
  /// enumerator took longer to list them than detection took to read them.
  static func walk(_ directory: String, _ visit: (String) -> Void) {
    guard let handle = opendir(directory) else { return }
    defer { closedir(handle) }
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
      var type = entry.pointee.d_type
      if type == UInt8(DT_UNKNOWN) {
        var info = stat()
        guard lstat(path, &info) == 0 else { continue }
        type = (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG)
      }
      if type == UInt8(DT_DIR) { walk(path, visit) } else { visit(path) }
    }
  }

  /// The metadata marker every MaxMind DB ends with (within its last 128 KiB), so a renamed
  /// database is still recognised.
  static func hasMMDBMarker(_ path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    guard let size = try? handle.seekToEnd() else { return false }
    let window: UInt64 = 128 * 1024
    try? handle.seek(toOffset: size > window ? size - window : 0)
    guard let tail = try? handle.readToEnd() else { return false }
    return tail.range(of: Data([0xAB, 0xCD, 0xEF] + Array("MaxMind.com".utf8))) != nil
  }

  /// A TSV is ip2asn when its first data row parses as one; gzread reads `.gz` and plain alike.
  static func looksLikeIP2ASN(_ path: String, requireExtension: Bool) -> Bool {
    let lower = path.lowercased()
    if requireExtension {
      guard lower.hasSuffix(".tsv") || lower.hasSuffix(".tsv.gz") else { return false }
    }
    guard let file = gzopen(path, "rb") else { return false }
    defer { gzclose(file) }
    var buffer = [UInt8](repeating: 0, count: 8192)
    let count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
    guard count > 0 else { return false }
    let text = String(decoding: buffer[..<Int(count)], as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
    // The last line of the window may be cut short, so only complete lines are tried.
    let complete = Int(count) == buffer.count ? lines.dropLast() : lines[...]
    guard let first = complete.first(where: { !$0.hasPrefix("#") && !$0.allSatisfy(\.isWhitespace) }) else { return false }
    return (try? IP2ASNTable(contents: String(first), path: path)) != nil
  }
}
