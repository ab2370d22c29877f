#!/usr/bin/env python3
"""Writes lambda-triage's bundled Samples/ deterministically (python3 scripts/make-samples.py).

Samples/AWSLogs/...        raw CloudTrail as delivered to S3 (.json.gz, Records envelopes),
                           with a digest and an insight file that must be skipped
Samples/elastic-export/    ECS documents as exported from logs-aws.cloudtrail-* (another account)
Samples/ip2asn.tsv         the ASN table the samples need (found among the inputs)
Samples/expected-alerts.json   what `lambda-triage detect Samples/` must print, computed here by an
                           independent implementation of the two rules' semantics
"""
import datetime, gzip, io, json, os, shutil, uuid, zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Samples")
ACCT = "111122223333"
OTHER = "444455556666"
RULE_A = "53bb8f53-3550-4805-b6bd-728ded8d5564"
RULE_B = "c8cc8192-f4f5-4ed3-8368-544ca738d506"


def uid(*parts):
    return str(uuid.UUID(int=zlib.crc32(repr(parts).encode()) * 2**96 + zlib.crc32(repr(parts[::-1]).encode()) * 2**64 + len(repr(parts)), version=4))


def t(day, hh, mm, ss=0):
    return datetime.datetime(2026, 11, day, hh, mm, ss, tzinfo=datetime.timezone.utc)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def role_identity(role, session):
    return {"type": "AssumedRole", "principalId": f"AROA3EXAMPLE{role.upper()[:6]}:{session}",
            "arn": f"arn:aws:sts::{ACCT}:assumed-role/{role}/{session}", "accountId": ACCT,
            "accessKeyId": "ASIA3EXAMPLE" + format(zlib.crc32(session.encode()), "08X"),
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": f"AROA3EXAMPLE{role.upper()[:6]}",
                                                 "arn": f"arn:aws:iam::{ACCT}:role/{role}", "accountId": ACCT, "userName": role},
                               "attributes": {"creationDate": "2026-11-01T00:00:00Z", "mfaAuthenticated": "false"}}}


def user_identity(user):
    return {"type": "IAMUser", "principalId": "AIDA3EXAMPLE" + format(zlib.crc32(user.encode()), "08X"),
            "arn": f"arn:aws:iam::{ACCT}:user/{user}", "accountId": ACCT,
            "accessKeyId": "AKIA3EXAMPLE" + format(zlib.crc32(user.encode()) ^ 0xABCD, "08X"), "userName": user}


def record(when, identity, source, name, ip, ua, req=None, resp=None, region="us-east-1", **extra):
    r = {"eventVersion": "1.09", "userIdentity": identity, "eventTime": iso(when), "eventSource": f"{source}.amazonaws.com",
         "eventName": name, "awsRegion": region, "sourceIPAddress": ip, "userAgent": ua,
         "requestParameters": req, "responseElements": resp, "requestID": uid("req", name, iso(when), ip),
         "eventID": uid("evt", name, iso(when), ip), "readOnly": name.startswith(("Get", "List", "Describe")),
         "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": ACCT, "eventCategory": "Management",
         "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                        "clientProvidedHostHeader": f"{source}.{region}.amazonaws.com"}}
    r.update(extra)
    return r


def invoke(when, identity, fn, ip, ua="Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.1 lang/python#3.12", name="Invoke", **extra):
    arn = f"arn:aws:lambda:us-east-1:{ACCT}:function:{fn}"
    r = record(when, identity, "lambda", name, ip, ua, {"functionName": arn, "invocationType": "RequestResponse"}, None,
               additionalEventData={"functionVersion": arn + ":$LATEST"},
               resources=[{"accountId": ACCT, "type": "AWS::Lambda::Function", "ARN": arn}])
    r.update(readOnly=False, managementEvent=False, eventCategory="Data")
    r.update(extra)
    return r


def url_config(when, identity, name, fn, auth, ip, ua="aws-cli/2.17.60 md/awscrt#0.22.0 ua/2.0 os/linux#6.1", cors=None, **extra):
    req = {"functionName": fn, "authType": auth}
    if cors:
        req["cors"] = cors
    arn = f"arn:aws:lambda:us-east-1:{ACCT}:function:{fn}"
    resp = {"functionUrl": f"https://{uid('url', fn)[:32].replace('-', '')}.lambda-url.us-east-1.on.aws/",
            "functionArn": arn, "authType": auth, "creationTime": when.strftime("%Y-%m-%dT%H:%M:%S.000+0000")}
    if cors:
        resp["cors"] = cors
    r = record(when, identity, "lambda", name, ip, ua, req, resp)
    r.update(extra)
    if "errorCode" in extra:
        r["responseElements"] = None
    return r


ETL = lambda s="etl-run": role_identity("etl-role", s)
ALICE = user_identity("alice")
DEPLOY = user_identity("deploy-bot")
HOME = "24.4.18.77"           # COMCAST-7922
ALICE6 = "2001:db8:1::42"      # EXAMPLE-HOME-ISP
M247 = "193.32.126.40"         # M247 Europe SRL
HETZNER6 = "2a01:4f8:c17:1a2::2"  # HETZNER-AS
AMAZON = "3.5.140.2"           # AMAZON-02
GOOGLE = "8.8.8.9"             # GOOGLE
LOOKALIKE = "185.199.1.20"     # amazon-cdn-lookalike

IP2ASN = [
    ("3.0.0.0", "3.127.255.255", 16509, "US", "AMAZON-02"),
    ("8.8.8.0", "8.8.8.255", 15169, "US", "GOOGLE"),
    ("24.0.0.0", "24.15.255.255", 7922, "US", "COMCAST-7922"),
    ("100.64.0.0", "100.127.255.255", 0, "None", "Not routed"),
    ("185.199.0.0", "185.199.3.255", 64512, "NL", "amazon-cdn-lookalike"),
    ("193.32.126.0", "193.32.127.255", 9009, "GB", "M247 Europe SRL"),
    ("2001:db8:1::", "2001:db8:1:ffff:ffff:ffff:ffff:ffff", 64496, "US", "EXAMPLE-HOME-ISP"),
    ("2a01:4f8::", "2a01:4f8:ffff:ffff:ffff:ffff:ffff:ffff", 24940, "DE", "HETZNER-AS"),
]


def build_raw():
    out = []
    # Daily routine: etl-role and alice invoke their functions from their usual networks.
    for day in range(1, 13):
        out.append(invoke(t(day, 9, 0), ETL(f"etl-{day:02d}"), "orders-api", HOME))
        out.append(invoke(t(day, 9, 5), ALICE, "report-gen", ALICE6))
        # Noise every day: S3, STS, KMS, EC2, IAM.
        out.append(record(t(day, 8, 12), ETL(f"etl-{day:02d}"), "s3", "GetObject", HOME, "aws-sdk-java/2.25.0",
                          {"bucketName": "orders-data", "key": f"2026/11/{day:02d}/orders.csv"}, None,
                          eventCategory="Data", managementEvent=False, readOnly=True,
                          resources=[{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::orders-data/2026/11/{day:02d}/orders.csv"}]))
        out.append(record(t(day, 8, 11), ALICE, "sts", "AssumeRole", ALICE6, "aws-cli/2.17.60",
                          {"roleArn": f"arn:aws:iam::{ACCT}:role/etl-role", "roleSessionName": f"etl-{day:02d}", "durationSeconds": 3600},
                          {"assumedRoleUser": {"arn": f"arn:aws:sts::{ACCT}:assumed-role/etl-role/etl-{day:02d}"}}))
        out.append(record(t(day, 9, 1), ETL(f"etl-{day:02d}"), "kms", "Decrypt", HOME, "aws-sdk-java/2.25.0",
                          {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}, None, readOnly=True))
        out.append(record(t(day, 14, 30), ALICE, "ec2", "DescribeInstances", ALICE6, "aws-cli/2.17.60",
                          {"filterSet": {}, "instancesSet": {}}, None, region="eu-west-1"))
        out.append(record(t(day, 15, 0), ALICE, "iam", "GetUser", ALICE6, "aws-cli/2.17.60", {"userName": "alice"}, None))
    # Rule B: true positives.
    out.append(invoke(t(10, 14, 22), ETL("etl-stolen"), "orders-api", M247, ua="python-requests/2.31.0"))
    out.append(invoke(t(11, 2, 47), ALICE, "report-gen", HETZNER6, ua="curl/8.4.0"))
    out.append(invoke(t(11, 20, 15), ETL("etl-11b"), "orders-api", LOOKALIKE))
    # Rule B: look-alike negatives.
    out.append(invoke(t(6, 11, 0), ETL("etl-06b"), "orders-api", AMAZON))               # cloud provider network
    out.append(invoke(t(7, 11, 0), ETL("etl-07b"), "orders-api", GOOGLE))               # cloud provider network
    svc = ETL("etl-08b"); svc["invokedBy"] = "apigateway.amazonaws.com"
    out.append(invoke(t(8, 12, 0), svc, "orders-api", M247))                            # invoked by a service
    out.append(invoke(t(9, 12, 0), ETL("etl-09b"), "orders-api", HETZNER6, errorCode="AccessDeniedException",
                      errorMessage="User is not authorized to perform: lambda:InvokeFunction"))  # failed
    out.append(invoke(t(9, 12, 30), ETL("etl-09c"), "orders-api", M247, name="invoke"))   # lower-case action
    out.append(invoke(t(5, 3, 0), {"type": "AWSService", "invokedBy": "events.amazonaws.com"}, "orders-api", "events.amazonaws.com"))
    out.append(invoke(t(12, 9, 30), ETL("etl-12b"), "orders-api", HOME))                # known network
    # Rule A: true positives.
    out.append(url_config(t(8, 10, 15), ALICE, "CreateFunctionUrlConfig20211031", "report-gen", "NONE", ALICE6,
                          cors={"allowOrigins": ["*"], "allowMethods": ["*"]}))
    out.append(url_config(t(9, 16, 40), ETL("etl-09d"), "UpdateFunctionUrlConfig20211031", "orders-api", "NONE", HOME))
    out.append(url_config(t(10, 8, 0), DEPLOY, "CreateFunctionUrlConfig", "webhook-intake", "NONE", "24.4.18.90"))
    out.append(url_config(t(11, 12, 0), ETL("etl-11c"), "createfunctionurlconfig20211031", "debug-shell", "NONE", M247))
    # Rule A: look-alike negatives.
    out.append(url_config(t(8, 11, 0), ALICE, "CreateFunctionUrlConfig20211031", "report-gen-internal", "AWS_IAM", ALICE6))
    out.append(url_config(t(9, 17, 0), DEPLOY, "CreateFunctionUrlConfig20211031", "payroll", "NONE", "24.4.18.90",
                          errorCode="AccessDeniedException", errorMessage="not authorized"))
    out.append(record(t(10, 9, 0), DEPLOY, "lambda", "DeleteFunctionUrlConfig20211031", "24.4.18.90", "aws-cli/2.17.60",
                      {"functionName": "webhook-intake"}, None))
    out.append(record(t(8, 10, 16), ALICE, "lambda", "AddPermission20150331v2", ALICE6, "aws-cli/2.17.60",
                      {"functionName": "report-gen", "statementId": "FunctionURLAllowPublicAccess", "action": "lambda:InvokeFunctionUrl",
                       "principal": "*", "functionUrlAuthType": "NONE"},
                      {"statement": "{\"Sid\":\"FunctionURLAllowPublicAccess\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"lambda:InvokeFunctionUrl\"}"}))
    out.append(url_config(t(11, 13, 0), ALICE, "UpdateFunctionUrlConfig20211031", "report-gen", "None", ALICE6))
    return out


def build_ecs():
    def doc(when, action, org, asn, ip, user, outcome="success", reqp=None, dotted=False, eid=None):
        d = {"@timestamp": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
             "data_stream": {"dataset": "aws.cloudtrail", "namespace": "default", "type": "logs"},
             "event": {"action": action, "provider": "lambda.amazonaws.com", "outcome": outcome, "kind": "event",
                       "id": eid or uid("ecs", action, iso(when)), "dataset": "aws.cloudtrail", "module": "aws", "type": ["info"]},
             "cloud": {"account": {"id": OTHER}, "provider": "aws", "region": "eu-central-1", "service": {"name": "lambda"}},
             "source": {"address": ip, "ip": ip, "as": {"number": asn, "organization": {"name": org}}},
             "user": {"name": user, "id": f"AROA4EXAMPLE:{user}-session"},
             "aws": {"cloudtrail": {"user_identity": {"type": "AssumedRole", "arn": f"arn:aws:sts::{OTHER}:assumed-role/{user}/{user}-session",
                                                      "access_key_id": "ASIA4EXAMPLE0000BEEF"},
                                    "request_parameters": reqp or f"{{invocationType=RequestResponse, functionName=arn:aws:lambda:eu-central-1:{OTHER}:function:ingest}}",
                                    "event_category": "Data"}},
             "user_agent": {"original": "Boto3/1.35.36"}}
        if dotted:
            flat = {}
            for k, v in d.items():
                if k in ("event",):
                    for kk, vv in v.items():
                        flat[f"event.{kk}"] = vv
                else:
                    flat[k] = v
            return flat
        return d
    return [
        doc(t(4, 9, 0), "Invoke", "Example Corp Network", 64500, "198.51.100.10", "ingest-role"),
        doc(t(5, 9, 0), "Invoke", "Example Corp Network", 64500, "198.51.100.10", "ingest-role", dotted=True),
        doc(t(6, 9, 0), "Invoke", "Microsoft Corporation", 8075, "20.40.1.5", "ingest-role"),
        doc(t(12, 3, 0), "Invoke", "DigitalOcean, LLC", 14061, "203.0.113.50", "ingest-role"),
        doc(t(12, 4, 0), "CreateFunctionUrlConfig20211031", "DigitalOcean, LLC", 14061, "203.0.113.50", "ingest-role",
            reqp="{functionName=partner-hook, authType=NONE}"),
    ]


# ---- An independent emulation of the two rules (see ../shared/reference/elastic-rule-semantics.md) ----

def ecs_view(r):
    """The handful of ECS fields the rules read, mapped as Elastic's pipeline does."""
    if "event" in r or "event.action" in r:
        ev = r.get("event", {}) or {k[6:]: v for k, v in r.items() if k.startswith("event.")}
        return {"time": r["@timestamp"][:19] + "Z", "provider": ev.get("provider"), "action": ev.get("action"),
                "outcome": ev.get("outcome"), "id": ev.get("id"), "rp": r["aws"]["cloudtrail"]["request_parameters"],
                "invoked_by": None, "org": r["source"]["as"]["organization"]["name"],
                "account": r["cloud"]["account"]["id"], "user": r["user"]["name"]}
    ui = r["userIdentity"]
    service = ui.get("type") == "AWSService"
    user = None if service else (ui.get("sessionContext", {}).get("sessionIssuer", {}).get("userName")
                                 if ui.get("type") in ("AssumedRole", "FederatedUser") else ui.get("userName"))
    org = None
    ip = r["sourceIPAddress"]
    import ipaddress
    try:
        addr = ipaddress.ip_address(ip)
        for lo, hi, asn, _, name in IP2ASN:
            low, high = ipaddress.ip_address(lo), ipaddress.ip_address(hi)
            if asn and low.version == addr.version and low <= addr <= high:
                org = name
    except ValueError:
        pass
    rp = r.get("requestParameters")
    rp_text = None
    if rp:
        rp_text = "{" + ", ".join(f"{k}={v}" for k, v in rp.items()) + "}"  # order does not matter for a substring test here
    return {"time": r["eventTime"], "provider": r["eventSource"], "action": r["eventName"],
            "outcome": "failure" if r.get("errorCode") or r.get("errorMessage") else "success", "id": r["eventID"],
            "rp": rp_text, "invoked_by": ui.get("invokedBy"), "org": org,
            "account": ui.get("accountId") or r.get("recipientAccountId"), "user": user}


def secs(ts):
    return int(datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp())


def expected(events):
    a = [e for e in events if e["provider"] == "lambda.amazonaws.com" and e["outcome"] == "success"
         and e["action"].lower().startswith(("createfunctionurlconfig", "updatefunctionurlconfig"))
         and e["rp"] and "authType=NONE" in e["rp"]]
    b = [e for e in events if e["provider"] == "lambda.amazonaws.com" and e["action"].startswith("Invoke")
         and e["outcome"] == "success" and not e["invoked_by"] and e["org"]
         and not e["org"].startswith(("Amazon", "AMAZON", "Google", "GOOGLE", "Microsoft", "MICROSOFT"))
         and e["account"] and e["user"]]
    alerts = [{"rule_id": RULE_A, "event_id": e["id"], "original_time": e["time"]} for e in a]
    # New terms, execution by execution (5-minute boundaries, 6-minute look-back, 10-day history).
    first = min(secs(e["time"]) for e in events)
    last = max(secs(e["time"]) for e in events)
    ceil5 = lambda s: s if s % 300 == 0 else s - s % 300 + 300
    seen = set()
    for T in range(ceil5(first), ceil5(last) + 1, 300):
        window = sorted([e for e in b if T - 360 <= secs(e["time"]) <= T], key=lambda e: e["time"])
        for e in window:
            term = (e["org"], e["account"], e["user"])
            firsts = [secs(x["time"]) for x in b if (x["org"], x["account"], x["user"]) == term and T - 864000 <= secs(x["time"]) <= T]
            if min(firsts) > T - 360 and (e["id"], term) not in seen and e is [w for w in window if (w["org"], w["account"], w["user"]) == term][0]:
                seen.add((e["id"], term))
                alerts.append({"rule_id": RULE_B, "event_id": e["id"], "original_time": e["time"], "new_terms": list(term)})
    for x in alerts:
        x["original_time"] = x["original_time"][:19] + ".000Z"
    return sorted(alerts, key=lambda x: (x["original_time"], x["event_id"]))


def main():
    if os.path.isdir(os.path.join(ROOT, "AWSLogs")):
        shutil.rmtree(os.path.join(ROOT, "AWSLogs"))
    os.makedirs(ROOT, exist_ok=True)
    raw = build_raw()
    # Deliver like CloudTrail: one object per region and 5-minute delivery slot, records unordered.
    buckets = {}
    for r in raw:
        s = secs(r["eventTime"])
        buckets.setdefault((r["awsRegion"], s - s % 3600 + 3600 + 300 * (zlib.crc32(r["eventID"].encode()) % 3)), []).append(r)
    for (region, delivered), records in sorted(buckets.items()):
        when = datetime.datetime.fromtimestamp(delivered, datetime.timezone.utc)
        d = os.path.join(ROOT, "AWSLogs", ACCT, "CloudTrail", region, when.strftime("%Y"), when.strftime("%m"), when.strftime("%d"))
        os.makedirs(d, exist_ok=True)
        name = f"{ACCT}_CloudTrail_{region}_{when.strftime('%Y%m%dT%H%MZ')}_{format(zlib.crc32(repr((region, delivered)).encode()), '016X')}.json.gz"
        records = sorted(records, key=lambda r: r["eventID"])  # delivery order is not time order
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:
            gz.write(json.dumps({"Records": records}, separators=(",", ":")).encode())
        open(os.path.join(d, name), "wb").write(buf.getvalue())
    # A digest and an insight file: recognised and skipped.
    dd = os.path.join(ROOT, "AWSLogs", ACCT, "CloudTrail-Digest", "us-east-1", "2026", "11", "12")
    os.makedirs(dd, exist_ok=True)
    digest = {"awsAccountId": ACCT, "digestStartTime": "2026-11-12T00:00:00Z", "digestEndTime": "2026-11-12T01:00:00Z",
              "digestS3Bucket": "example-trail-bucket", "digestS3Object": f"AWSLogs/{ACCT}/CloudTrail-Digest/us-east-1/2026/11/12/x.json.gz",
              "digestSignatureAlgorithm": "SHA256withRSA", "logFiles": []}
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:
        gz.write(json.dumps(digest).encode())
    open(os.path.join(dd, f"{ACCT}_CloudTrail-Digest_us-east-1_main_us-east-1_20261112T010000Z.json.gz"), "wb").write(buf.getvalue())
    di = os.path.join(ROOT, "AWSLogs", ACCT, "CloudTrail-Insight", "us-east-1", "2026", "11", "10")
    os.makedirs(di, exist_ok=True)
    insight = {"Records": [{"eventVersion": "1.08", "eventTime": "2026-11-10T14:00:00Z", "awsRegion": "us-east-1",
                            "eventID": uid("insight"), "eventType": "AwsCloudTrailInsight", "recipientAccountId": ACCT,
                            "sharedEventID": uid("insight-shared"), "insightDetails": {"state": "Start", "eventSource": "lambda.amazonaws.com",
                                                                                       "eventName": "Invoke", "insightType": "ApiCallRateInsight"},
                            "eventCategory": "Insight"}]}
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:
        gz.write(json.dumps(insight).encode())
    open(os.path.join(di, f"{ACCT}_CloudTrail-Insight_us-east-1_20261110T1405Z_{format(zlib.crc32(b'insight'), '016X')}.json.gz"), "wb").write(buf.getvalue())
    os.makedirs(os.path.join(ROOT, "elastic-export"), exist_ok=True)
    ecs = build_ecs()
    with open(os.path.join(ROOT, "elastic-export", "logs-aws.cloudtrail.ndjson"), "w") as f:
        for d in ecs:
            f.write(json.dumps(d, separators=(",", ":")) + "\n")
    with open(os.path.join(ROOT, "ip2asn.tsv"), "w") as f:
        for row in IP2ASN:
            f.write("\t".join(str(c) for c in row) + "\n")
    events = [ecs_view(r) for r in raw] + [ecs_view(d) for d in ecs]
    with open(os.path.join(ROOT, "expected-alerts.json"), "w") as f:
        json.dump(expected(events), f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
