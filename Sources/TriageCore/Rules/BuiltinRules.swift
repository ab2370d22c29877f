/// The two Elastic rules lambda-triage ships. Queries, ids and numbers are transcribed exactly from
/// Elastic's published rules; the guide text is our own paraphrase.
public enum BuiltinRules {
  public static let all: [DetectionRule] = [lambdaFunctionURLPublic, lambdaInvokeUnusualASN]

  public static func rule(id: String) -> DetectionRule? { all.first { $0.ruleID == id } }

  public static let lambdaFunctionURLPublic = DetectionRule(
    name: "AWS Lambda Function URL Created with Public Access",
    shortName: "Public function URL",
    ruleID: "53bb8f53-3550-4805-b6bd-728ded8d5564",
    kind: .eql,
    language: .eql,
    indexPatterns: ["logs-aws.cloudtrail-*"],
    severity: "high",
    riskScore: 73,
    intervalSeconds: 300,
    lookBackSeconds: 360,
    maxAlertsPerExecution: 100,
    version: 1,
    timestampOverride: "event.ingested",
    query: """
      any where data_stream.dataset == "aws.cloudtrail"
          and event.provider == "lambda.amazonaws.com"
          and event.outcome == "success"
          and (event.action : "CreateFunctionUrlConfig*" or event.action : "UpdateFunctionUrlConfig*")
          and stringContains(aws.cloudtrail.request_parameters, "authType=NONE")
      """,
    newTermsFields: [],
    historyWindowSeconds: 0,
    description: """
      A Lambda function URL was created or updated with auth type NONE, so anyone on the internet \
      can call the function without AWS credentials. Attackers use such URLs as a durable, public \
      entry point for command and control, exfiltration or running their own code.
      """,
    guide: InvestigationGuide(
      summary: """
        A function URL is an HTTPS endpoint bound to one Lambda function. With authType=NONE it \
        accepts calls from anyone, signed or not. This alert fires on a successful \
        CreateFunctionUrlConfig or UpdateFunctionUrlConfig call that sets that auth type.
        """,
      steps: [
        GuideStep(
          key: "step-1", title: "Who made the change, and from where?",
          detail: "Look at the calling identity and its type, the source address and the client that sent the request: a console session, a CI role and an unknown laptop tell very different stories.",
          fields: ["aws.cloudtrail.user_identity.arn", "aws.cloudtrail.user_identity.type", "source.ip", "user_agent.original"]),
        GuideStep(
          key: "step-2", title: "What exactly was exposed?",
          detail: "Read the request for the function name and the auth type, and the response for the function URL that is now reachable.",
          fields: ["aws.cloudtrail.request_parameters", "aws.cloudtrail.response_elements"]),
        GuideStep(
          key: "step-3", title: "Was a public endpoint intended?",
          detail: "Find out whether this function is meant to be public and whether its owners asked for an unauthenticated URL (a ticket, a deployment, a known webhook).",
          fields: []),
        GuideStep(
          key: "step-4", title: "Has the function been tampered with?",
          detail: "Check the function's code, its execution role and its recent changes (UpdateFunctionCode, UpdateFunctionConfiguration, AddPermission) for anything that does not belong.",
          fields: []),
        GuideStep(
          key: "step-5", title: "What else did this principal do, and who called the URL?",
          detail: "Look for other activity by the same principal, and at the function's invocation and access logs for callers from unexpected places since the URL went public.",
          fields: ["aws.cloudtrail.user_identity.arn"]),
      ],
      falsePositiveAnalysis: [
        "Some teams publish webhooks, small APIs or front-end back ends through unauthenticated function URLs on purpose. Once the exposure is confirmed as approved, exclude that endpoint by the functionName in the request or by aws.cloudtrail.user_identity.arn.",
      ],
      response: [
        "If nobody approved the exposure, switch the URL's auth type to AWS_IAM or delete the URL configuration, then review the function's code and execution role for compromise.",
        "Go through the invocation logs for unauthenticated calls received while the URL was public and judge what they could have reached.",
        "If the principal may be compromised, rotate or restrict its credentials, and allow lambda:CreateFunctionUrlConfig and lambda:UpdateFunctionUrlConfig only to trusted roles.",
      ],
      setup: nil),
    tags: [
      "Domain: Cloud", "Data Source: AWS", "Data Source: Amazon Web Services", "Data Source: AWS Lambda",
      "Use Case: Threat Detection", "Tactic: Persistence", "Tactic: Defense Evasion", "Resources: Investigation Guide",
    ],
    threat: [
      ThreatMapping(tacticID: "TA0003", tacticName: "Persistence", techniques: [("T1133", "External Remote Services")]),
      ThreatMapping(tacticID: "TA0005", tacticName: "Defense Evasion", techniques: [("T1578", "Modify Cloud Compute Infrastructure"), ("T1578.005", "Modify Cloud Compute Configurations")]),
    ])

  public static let lambdaInvokeUnusualASN = DetectionRule(
    name: "AWS Lambda Function Invoked from an Unusual Source ASN",
    shortName: "Invoke from new ASN",
    ruleID: "c8cc8192-f4f5-4ed3-8368-544ca738d506",
    kind: .newTerms,
    language: .kuery,
    indexPatterns: ["logs-aws.cloudtrail-*"],
    severity: "medium",
    riskScore: 47,
    intervalSeconds: 300,
    lookBackSeconds: 360,
    maxAlertsPerExecution: 100,
    version: 1,
    timestampOverride: "event.ingested",
    query: """
      data_stream.dataset: "aws.cloudtrail"
      and event.provider: "lambda.amazonaws.com"
      and event.action: Invoke*
      and event.outcome: "success"
      and not aws.cloudtrail.user_identity.invoked_by: *
      and source.as.organization.name:(* and not (Amazon* or AMAZON* or Google* or GOOGLE* or Microsoft* or MICROSOFT*))
      """,
    newTermsFields: ["source.as.organization.name", "cloud.account.id", "user.name"],
    historyWindowSeconds: 10 * 86_400,
    description: """
      A principal invoked a Lambda function directly from a network (source ASN) it had not used in \
      the previous 10 days, outside the big cloud providers. Stolen execution-role or user \
      credentials replayed from an attacker's infrastructure look like this.
      """,
    guide: InvestigationGuide(
      summary: """
        Lambda execution-role and user credentials are often stolen (SSRF or code execution in a \
        function, leaked keys) and then replayed from the attacker's own machines. Their direct \
        Invoke calls then come from a network the real principal never used. The rule keeps, per \
        account and principal, the source ASN organisations of the last 10 days and alerts on a new one.
        """,
      steps: [
        GuideStep(
          key: "step-1", title: "Is this network plausible for this principal?",
          detail: "Look at the source address, its ASN organisation and location, and decide whether the principal normally works from there.",
          fields: ["source.ip", "source.as.organization.name", "source.geo", "aws.cloudtrail.user_identity.arn"]),
        GuideStep(
          key: "step-2", title: "What was called, and with which client?",
          detail: "Read the function name in the request and the user agent of the caller.",
          fields: ["aws.cloudtrail.request_parameters", "user_agent.original"]),
        GuideStep(
          key: "step-3", title: "Is the credential being used elsewhere?",
          detail: "Check whether the access key was also used recently from other places, or outside the Lambda runtime: that points to theft.",
          fields: ["aws.cloudtrail.user_identity.access_key_id"]),
        GuideStep(
          key: "step-4", title: "What else came from this network?",
          detail: "Look for other calls by the same principal from the same network: data access, IAM and STS activity.",
          fields: ["aws.cloudtrail.user_identity.arn", "source.ip"]),
      ],
      falsePositiveAnalysis: [
        "New legitimate networks (a new office, a VPN, a home connection, a new egress) trigger this alert. Confirm that the principal and the network belong together, then exclude the known operator network or identity.",
        "When the source ASN is legitimate and expected, add it as an exclusion so it stops alerting.",
      ],
      response: [
        "If the credentials are being abused, rotate or revoke them and reduce the execution role's permissions; review what the invoked function read or returned.",
        "Limit lambda:InvokeFunction to the identities that need it and, where possible, to known networks with IAM conditions.",
      ],
      setup: """
        Needs Lambda data events in CloudTrail (Invoke is a data-plane event and is not logged by \
        default: enable data events for the functions that matter) and source ASN enrichment \
        (source.as.organization.name): give lambda-triage an ASN database with --asn-db.
        """),
    tags: [
      "Domain: Cloud", "Data Source: AWS", "Data Source: Amazon Web Services", "Data Source: AWS Lambda",
      "Use Case: Threat Detection", "Tactic: Execution", "Resources: Investigation Guide",
    ],
    threat: [
      ThreatMapping(tacticID: "TA0002", tacticName: "Execution", techniques: [("T1648", "Serverless Execution")]),
    ])
}
