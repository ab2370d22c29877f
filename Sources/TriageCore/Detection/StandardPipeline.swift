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
    let pipeline = EventPipeline(mapCloudTrail: { record, original in
      TemporaryMapper.map(record, original: original)
    }, enrich: nil)
    return Setup(pipeline: pipeline, descriptions: [], hasASNDatabase: false)
  }
}
