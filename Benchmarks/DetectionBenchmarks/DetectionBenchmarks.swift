import Benchmark
import Foundation
import TriageCore

/// Per-stage benchmarks of detection: what one Lambda record costs to parse and map, and what a
/// whole run costs per record on a trail that is mostly other services. Run from the package
/// root: `LAMBDA_TRIAGE_BENCHMARKS=1 swift package benchmark` (add `baseline update` /
/// `baseline compare` to track regressions). Whole-file figures against wc, jq, DuckDB and
/// libdeflate are scripts/bench's job; these isolate the stages.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, .peakMemoryResident],
    maxDuration: .seconds(3))

  let invoke = Array(BenchRecords.invoke(0).utf8)
  let record: JSONObject = {
    guard case .object(let object)? = try? JSONParser.parse(invoke) else { fatalError("the bench record does not parse") }
    return object
  }()
  let original = String(decoding: invoke, as: UTF8.self)
  let ruleB = BuiltinRules.all[1]
  let projection = MappingProjection(fields: [
    "@timestamp", "event.ingested", "event.id", "source.ip", "event.provider", "event.action", "source.as.organization.name",
    "data_stream.dataset", "event.outcome", "aws.cloudtrail.user_identity.invoked_by",
  ] + ruleB.newTermsFields)

  Benchmark("parse: one Lambda Invoke record", configuration: .init(scalingFactor: .kilo)) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try? JSONParser.parse(invoke)) }
  }
  Benchmark("map: one Invoke record to ECS, in full", configuration: .init(scalingFactor: .kilo)) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(CloudTrailMapper.map(record, original: original)) }
  }
  Benchmark("map: one Invoke record, the fields rule B reads", configuration: .init(scalingFactor: .kilo)) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(CloudTrailMapper.map(record, original: nil, projection: projection)) }
  }

  // A whole run over a trail of 100k records, 4% of them Lambda Invoke calls (the generator's
  // share), two workers as on the benchmark machine. Throughput counts records.
  let trail = BenchRecords.trailFile(records: 100_000)
  Benchmark("detect: 100k records, 4% Lambda (per record)", configuration: .init(scalingFactor: .one, maxIterations: 20)) { benchmark in
    var options = DetectionOptions(paths: [trail])
    options.workers = 2
    options.standardDatabaseDirectories = []
    options.environment = [:]
    for _ in benchmark.scaledIterations {
      benchmark.startMeasurement()
      blackHole(try? Detection.run(options))
      benchmark.stopMeasurement()
    }
  }
}

/// Records shaped like the generator's (scripts/generate-cloudtrail.py), built here so the
/// benchmarks need no generated data.
enum BenchRecords {
  static func invoke(_ i: Int) -> String {
    let second = String(format: "%02d", i % 60)
    return #"{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROA000706621836:session-\#(i % 97)","arn":"arn:aws:sts::111122223333:assumed-role/svc-role-06/session-\#(i % 97)","accountId":"111122223333","accessKeyId":"ASIA5B49156137C60E98","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA000706621836","arn":"arn:aws:iam::111122223333:role/svc-role-06","accountId":"111122223333","userName":"svc-role-06"},"attributes":{"creationDate":"2026-11-01T00:00:00Z","mfaAuthenticated":"false"}}},"eventTime":"2026-11-01T00:00:\#(second)Z","eventSource":"lambda.amazonaws.com","eventName":"Invoke","awsRegion":"eu-west-1","sourceIPAddress":"89.160.61.\#(i % 250)","userAgent":"aws-cli/2.17.60 md/awscrt#0.22.0 ua/2.0 os/linux#6.1","requestID":"1579da0a-61b2-480c-95d8-\#(String(format: "%012d", i))","eventID":"a7f0c99e-80b5-444a-8767-\#(String(format: "%012d", i))","readOnly":false,"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333","eventCategory":"Data","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"lambda.eu-west-1.amazonaws.com"},"requestParameters":{"functionName":"arn:aws:lambda:eu-west-1:111122223333:function:fn-0\#(i % 90)","invocationType":"RequestResponse"},"responseElements":null,"additionalEventData":{"functionVersion":"arn:aws:lambda:eu-west-1:111122223333:function:fn-0\#(i % 90):$LATEST"},"resources":[{"accountId":"111122223333","type":"AWS::Lambda::Function","ARN":"arn:aws:lambda:eu-west-1:111122223333:function:fn-0\#(i % 90)"}]}"#
  }

  static func s3(_ i: Int) -> String {
    let second = String(format: "%02d", i % 60)
    return #"{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROA000123456789:app-\#(i % 31)","arn":"arn:aws:sts::111122223333:assumed-role/app-role/app-\#(i % 31)","accountId":"111122223333","accessKeyId":"ASIA00000000000000\#(i % 10)\#(i % 7)","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA000123456789","arn":"arn:aws:iam::111122223333:role/app-role","accountId":"111122223333","userName":"app-role"},"attributes":{"creationDate":"2026-11-01T00:00:00Z","mfaAuthenticated":"false"}}},"eventTime":"2026-11-01T00:01:\#(second)Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"10.0.\#(i % 200).\#(i % 250)","userAgent":"[aws-sdk-java/2.25.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/17]","requestParameters":{"bucketName":"data-lake-raw","Host":"data-lake-raw.s3.us-east-1.amazonaws.com","key":"events/2026/11/01/part-\#(String(format: "%06d", i)).parquet"},"responseElements":null,"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":0,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"c2FtcGxlLWlkLXN0cmluZy1mb3ItYmVuY2htYXJr","bytesTransferredOut":52311},"requestID":"B7C1\#(String(format: "%012d", i))","eventID":"5d3c1f4e-9a2b-4c1d-8e7f-\#(String(format: "%012d", i))","readOnly":true,"resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::data-lake-raw/events/2026/11/01/part-\#(String(format: "%06d", i)).parquet"},{"accountId":"111122223333","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::data-lake-raw"}],"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333","eventCategory":"Data","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"data-lake-raw.s3.us-east-1.amazonaws.com"}}"#
  }

  /// An NDJSON trail in the temporary folder, written once per process.
  static func trailFile(records: Int) -> String {
    let path = NSTemporaryDirectory() + "lambda-triage-bench-\(records).ndjson"
    guard !FileManager.default.fileExists(atPath: path) else { return path }
    var text = ""
    for i in 0..<records { text += (i % 25 == 0 ? invoke(i) : s3(i)) + "\n" }
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
  }
}
