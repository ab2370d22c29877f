import ArgumentParser
import TriageCore

/// The databases every command that maps events enriches them with.
struct EnrichmentOptions: ParsableArguments {
  @Option(name: .customLong("asn-db"), help: ArgumentHelp("ASN database: GeoLite2-ASN / DB-IP ASN .mmdb, or an ip2asn .tsv.", valueName: "file"))
  var asnDatabase: String?

  @Option(name: .customLong("geo-db"), help: ArgumentHelp("City database (GeoLite2-City / DB-IP City .mmdb) for source.geo.", valueName: "file"))
  var geoDatabase: String?

  func detectionOptions(paths: [String]) -> DetectionOptions {
    var options = DetectionOptions(paths: paths)
    options.asnDatabasePath = asnDatabase
    options.geoDatabasePath = geoDatabase
    return options
  }
}

/// Flags of the commands that run the rules: the databases, the window and the exclusions.
/// (`ecs` and `export report` take the databases only: a flag a command would ignore is refused.)
struct InputOptions: ParsableArguments {
  @OptionGroup var enrichment: EnrichmentOptions

  @Option(help: ArgumentHelp("No alerts from executions before this time (ISO 8601, e.g. 2026-11-05T00:00:00Z; a bare date is its midnight UTC); earlier events still form history.", valueName: "time"))
  var since: String?

  @Option(help: ArgumentHelp("No executions after this time (ISO 8601; a bare date is its midnight UTC, so --until 2026-11-11 leaves that day out).", valueName: "time"))
  var until: String?

  @Option(name: .customLong("exclusions"), help: ArgumentHelp("A shared exclusions file (same schema as the state file's exclusions); repeatable.", valueName: "file"))
  var exclusionFiles: [String] = []

  func validate() throws {
    for (flag, value) in [("--since", since), ("--until", until)] {
      if let value, TimeArgument.parse(value) == nil {
        throw ValidationError("\(flag): '\(value)' is not a time; use ISO 8601 such as 2026-11-05T00:00:00Z or 2026-11-05")
      }
    }
    if let s = since.flatMap(TimeArgument.parse), let u = until.flatMap(TimeArgument.parse), s > u {
      throw ValidationError("--since is after --until")
    }
  }

  /// Prints a message naming the file and exits 2 when an exclusions file cannot be used.
  func detectionOptions(paths: [String]) throws -> DetectionOptions {
    var options = enrichment.detectionOptions(paths: paths)
    options.exclusions = try ExclusionFiles.load(exclusionFiles)
    options.since = since.flatMap(TimeArgument.parse)
    options.until = until.flatMap(TimeArgument.parse)
    return options
  }
}

/// Team exclusions files (`--exclusions`).
enum ExclusionFiles {
  /// Their exclusions, in order. For a file that cannot be used, prints what is wrong (the file,
  /// the exclusion and the field: the usage line would not help) and exits 2.
  static func load(_ files: [String]) throws -> [Exclusion] {
    var exclusions: [Exclusion] = []
    for file in files {
      do { exclusions += try ExclusionCodec.load(path: file) } catch {
        Output.error("lambda-triage: \(error.description)")
        throw ExitCode(2)
      }
    }
    return exclusions
  }
}

enum TimeArgument {
  /// ISO 8601 date-time, or a bare date meaning midnight UTC.
  static func parse(_ text: String) -> Int64? {
    if let t = Timestamp.parseMillis(text) { return t }
    if text.count == 10 { return Timestamp.parseMillis(text + "T00:00:00Z") }
    return nil
  }
}
