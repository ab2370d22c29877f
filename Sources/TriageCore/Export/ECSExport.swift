import Foundation

/// `lambda-triage ecs`: every event of the inputs, mapped and enriched, streamed to a callback.
public enum ECSExport {
  public static func run(_ options: DetectionOptions, _ body: (JSONObject) -> Void) throws(DetectionError) -> DetectionSummary {
    let started = Date()
    var summary = DetectionSummary()
    let expanded: InputFileFinder.Result
    do { expanded = try InputFileFinder().expand(options.paths) } catch { throw .input(error) }
    summary.warnings.append(contentsOf: expanded.warnings.map(\.description))
    let setup = try StandardPipeline.make(for: options)
    summary.enrichment = setup.descriptions
    summary.hasASNDatabase = setup.hasASNDatabase
    let reader = EventReader(files: expanded.files, pipeline: setup.pipeline, prefilter: false, maxListedIssues: options.maxListedIssues)
    try reader.run(summary: &summary, isCancelled: nil, progress: nil, onEvent: { event in body(event.document) }, onAlert: { _, _ in })
    summary.elapsedSeconds = Date().timeIntervalSince(started)
    return summary
  }
}
