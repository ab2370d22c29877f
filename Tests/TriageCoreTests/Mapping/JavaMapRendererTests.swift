import Foundation
import Testing
@testable import TriageCore

@Suite("Java HashMap rendering")
struct JavaMapRendererTests {
  @Test("every JVM vector, in both pruning variants (reads ../shared)", .enabled(if: SharedFixtures.isAvailable, "../shared/fixtures is absent"))
  func vectors() throws {
    let lines = try SharedFixtures.text("java-hashmap-tostring-vectors.jsonl").split(separator: "\n")
    #expect(lines.count >= 45)
    for (n, line) in lines.enumerated() {
      let vector = try JSONParser.parse(String(line)).objectValue!
      let input = try JSONParser.parse(vector["input"]!.stringValue!)
      let newer = ElasticPruner.prune(input, .nullEmptyDashNone).map(JavaMapRenderer.render) ?? "{}"
      let older = ElasticPruner.prune(input, .nullAndEmpty).map(JavaMapRenderer.render) ?? "{}"
      #expect(newer == vector["expected_new_pipeline_drop_dash_none"]?.stringValue, "vector \(n + 1)")
      #expect(older == vector["expected_old_pipeline"]?.stringValue, "vector \(n + 1)")
    }
  }

  @Test("Double.toString forms", arguments: [
    (1.0, "1.0"), (0.5, "0.5"), (0.0015, "0.0015"), (9999999.0, "9999999.0"), (1e7, "1.0E7"),
    (123456789.123, "1.23456789123E8"), (3e10, "3.0E10"), (1e-4, "1.0E-4"), (2.5e20, "2.5E20"), (-0.0, "-0.0"), (0.001, "0.001"),
  ])
  func doubles(value: Double, expected: String) {
    #expect(JavaMapRenderer.javaDoubleString(value) == expected)
  }

  @Test("the function URL request renders as Elastic would")
  func functionURL() throws {
    let plain = try JSONParser.parse(#"{"functionName":"my-function","authType":"NONE"}"#)
    #expect(JavaMapRenderer.render(plain) == "{functionName=my-function, authType=NONE}")
    let cors = try JSONParser.parse(#"{"functionName":"my-function","authType":"NONE","cors":{"allowOrigins":["*"],"allowMethods":["*"]}}"#)
    #expect(JavaMapRenderer.render(cors) == "{cors={allowMethods=[*], allowOrigins=[*]}, functionName=my-function, authType=NONE}")
  }

  @Test("integers print as Java parsed them; 1e3 is a Double")
  func integers() throws {
    #expect(JavaMapRenderer.render(try JSONParser.parse(#"{"a":-0,"b":123456789012345678901234,"c":1e3}"#)) == "{a=0, b=123456789012345678901234, c=1000.0}")
  }
}
