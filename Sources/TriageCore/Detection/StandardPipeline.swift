import Foundation

/// Builds the run's event pipeline from the options: Elastic's CloudTrail mapping plus whatever
/// enrichment databases were given or found.
enum StandardPipeline {
  struct Setup {
    let pipeline: EventPipeline
    /// One line per database, for the summary.
    let descriptions: [String]
    let hasASNDatabase: Bool
  }

  static func make(for options: DetectionOptions) throws(DetectionError) -> Setup {
    let locator = EnrichmentDatabaseLocator(
      environment: options.environment ?? ProcessInfo.processInfo.environment,
      searchDirectories: options.standardDatabaseDirectories ?? EnrichmentDatabaseLocator.standardDirectories)
    let enricher: SourceEnricher
    var descriptions: [String] = []
    do {
      let located = try locator.locate(inputPaths: options.paths, asnFlag: options.asnDatabasePath, geoFlag: options.geoDatabasePath)
      enricher = SourceEnricher(asn: try located.asn?.openASN(), geo: try located.geo?.openGeo())
      if let asn = located.asn { descriptions.append("ASN database: \(asn.summary)") }
      if let geo = located.geo { descriptions.append("geo database: \(geo.summary)") }
    } catch {
      throw .database(error.description)
    }
    var enrich: (@Sendable (inout JSONObject) throws -> Void)?
    let enriches = enricher.asn != nil || enricher.geo != nil
    if enriches {
      enrich = { @Sendable (document: inout JSONObject) throws in _ = try enricher.enrich(&document) }
    }
    var pipeline = EventPipeline(mapCloudTrail: { record, original in
      CloudTrailMapper.map(record, original: original)
    }, enrich: enrich, mapProjected: { record, original, projection in
      CloudTrailMapper.map(record, original: original, projection: projection)
    })
    pipeline.enricher = enriches ? enricher : nil
    return Setup(pipeline: pipeline, descriptions: descriptions, hasASNDatabase: enricher.asn != nil)
  }
}
