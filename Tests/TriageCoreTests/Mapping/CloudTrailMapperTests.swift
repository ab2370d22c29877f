import Testing
@testable import TriageCore

private func map(_ json: String) throws -> JSONObject {
  CloudTrailMapper.map(try JSONParser.parse(json).objectValue!, original: json)
}

@Suite("CloudTrail to ECS edge cases")
struct CloudTrailMapperTests {
  @Test("versioned Lambda names keep type info and get no category; table names do")
  func categories() throws {
    let versioned = try map(#"{"eventVersion":"1.08","eventTime":"2026-11-05T10:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"ListFunctions20150331"}"#)
    #expect(versioned[path: "event.category"] == nil)
    #expect(versioned[path: "event.type"] == .array([.string("info")]))
    let plain = try map(#"{"eventVersion":"1.08","eventTime":"2026-11-05T10:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser"}"#)
    #expect(plain[path: "event.category"] == .array([.string("iam")]))
    #expect(plain[path: "event.type"] == .array([.string("user"), .string("creation")]))
  }

  @Test("outcome: any error code or message is failure, an empty one is pruned first")
  func outcome() throws {
    #expect(try map(#"{"eventVersion":"1.08","eventName":"X","errorCode":""}"#)[path: "event.outcome"] == .string("success"))
    #expect(try map(#"{"eventVersion":"1.08","eventName":"X","errorCode":"200"}"#)[path: "event.outcome"] == .string("failure"))
    #expect(try map(#"{"eventVersion":"1.08","eventName":"X","errorMessage":"denied"}"#)[path: "event.outcome"] == .string("failure"))
    #expect(try map(#"{"eventVersion":"1.08","eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Failure"}}"#)[path: "event.outcome"] == .string("failure"))
  }

  @Test("source.ip only for a single valid address; IPv6 kept as written", arguments: [
    ("203.0.113.7", true), ("2001:db8::1", true), ("lambda.amazonaws.com", false), ("1.2.3.4, 10.0.0.1", false), ("AWS Internal", false),
  ])
  func sourceIP(address: String, isIP: Bool) throws {
    let doc = try map(#"{"eventVersion":"1.08","eventName":"X","sourceIPAddress":"\#(address)"}"#)
    #expect(doc[path: "source.address"] == .string(address))
    #expect((doc[path: "source.ip"] == .string(address)) == isIP)
  }

  @Test("user.name: the role name for assumed roles, nothing for AWS services; '-' user agents vanish")
  func users() throws {
    let role = try map(#"{"eventVersion":"1.08","eventName":"Invoke","userAgent":"-","userIdentity":{"type":"AssumedRole","principalId":"AROAX:s1","arn":"arn:aws:sts::111122223333:assumed-role/etl-role/s1","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/etl-role","userName":"etl-role"}}}}"#)
    #expect(role[path: "user.name"] == .string("etl-role"))
    #expect(role[path: "user.id"] == .string("AROAX:s1"))
    #expect(role[path: "cloud.account.id"] == .string("111122223333"))
    #expect(role[path: "user_agent.original"] == nil)
    let service = try map(#"{"eventVersion":"1.08","eventName":"Invoke","userIdentity":{"type":"AWSService","invokedBy":"apigateway.amazonaws.com"},"recipientAccountId":"111122223333"}"#)
    #expect(service[path: "user.name"] == nil)
    #expect(service[path: "service.name"] == .string("apigateway.amazonaws.com"))
    #expect(service[path: "aws.cloudtrail.user_identity.invoked_by"] == .string("apigateway.amazonaws.com"))
    #expect(service[path: "cloud.account.id"] == .string("111122223333"))
  }

  @Test("function URL configs render and flatten as Elastic would")
  func functionURL() throws {
    let doc = try map(#"{"eventVersion":"1.09","eventTime":"2026-11-05T10:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"CreateFunctionUrlConfig20211031","requestParameters":{"functionName":"my-function","authType":"NONE","cors":{"allowOrigins":["*"],"allowMethods":["*"]}},"responseElements":{"functionUrl":"https://abc.lambda-url.us-east-1.on.aws/","functionArn":"arn:aws:lambda:us-east-1:111122223333:function:my-function","authType":"NONE","creationTime":"2026-11-05T10:00:00.000+0000"}}"#)
    #expect(doc[path: "aws.cloudtrail.request_parameters"] == .string("{cors={allowMethods=[*], allowOrigins=[*]}, functionName=my-function, authType=NONE}"))
    #expect(doc[path: "aws.cloudtrail.flattened.request_parameters.authType"] == .string("NONE"))
    #expect(doc[path: "aws.cloudtrail.flattened.response_elements.functionUrl"] == .string("https://abc.lambda-url.us-east-1.on.aws/"))
    #expect(doc[path: "@timestamp"] == .string("2026-11-05T10:00:00.000Z"))
    #expect(doc[path: "cloud.service.name"] == .string("lambda"))
  }

  @Test("a malformed eventTime is a pipeline error, not a crash")
  func badTime() throws {
    let doc = try map(#"{"eventVersion":"1.08","eventName":"X","eventTime":"yesterday"}"#)
    #expect(doc[path: "event.kind"] == .string("pipeline_error"))
    #expect(doc[path: "@timestamp"] == nil)
  }
}
