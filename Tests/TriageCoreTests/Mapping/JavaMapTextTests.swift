import Testing
@testable import TriageCore

@Suite("Reading back Java map text")
struct JavaMapTextTests {
  @Test("nested maps and lists come back as a tree in order")
  func nested() {
    let parsed = JavaMapText.parse("{functionName=f, cors={allowOrigins=[*, https://a.example], maxAge=300}, authType=NONE}")
    #expect(JSONWriter.compact(.object(parsed!)) == #"{"functionName":"f","cors":{"allowOrigins":["*","https://a.example"],"maxAge":"300"},"authType":"NONE"}"#)
  }

  @Test("a value holding ', ' without '=' after it stays one value")
  func commaInValue() {
    let parsed = JavaMapText.parse("{description=a, b and c, name=x}")
    #expect(parsed?["description"]?.stringValue == "a, b and c")
    #expect(parsed?["name"]?.stringValue == "x")
  }

  @Test("empty map, and text that is not a map, and unbalanced text", arguments: ["{}", "plain", "{a=b", "{=x}", "", "{a={b=c}"])
  func edges(text: String) {
    let parsed = JavaMapText.parse(text)
    if text == "{}" { #expect(parsed?.isEmpty == true) } else { #expect(parsed == nil) }
  }
}
