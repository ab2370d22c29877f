import Testing
@testable import TriageConsole

@Suite struct ConsoleModuleTests {
  @Test func builds() { #expect(TriageConsoleModule.self == TriageConsoleModule.self) }
}
