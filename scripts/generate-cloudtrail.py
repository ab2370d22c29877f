#!/usr/bin/env python3
"""Generates large, realistic, deterministic CloudTrail logs for benchmarks.

The mix is dominated by non-Lambda traffic (S3 data events, STS, KMS, EC2, IAM), with Lambda
management calls, Invoke data events, principals that keep to their usual networks and now and
then appear from a new one, function URL configs with both auth types, and failures.

  scripts/generate-cloudtrail.py --records 1000000 --out bench-data/1m

writes <out>/cloudtrail.ndjson, <out>/Records.json, <out>/AWSLogs/... (.json.gz per 5 minutes and
region) and <out>/ip2asn.tsv.  Same seed, same bytes.

  scripts/generate-cloudtrail.py --tree-from bench-data/1m/cloudtrail.ndjson --out bench-data/1m

writes only the S3 tree of records generated before (minutes, instead of generating them again).
"""
import argparse
import datetime
import gzip
import json
import os
import random
import uuid
import zlib

ACCOUNT = "111122223333"
REGIONS = ["us-east-1", "eu-west-1"]

# (first address, last address, ASN, country, organisation)
NETWORKS = [
    ("24.0.0.0", "24.15.255.255", 7922, "US", "COMCAST-7922"),
    ("81.2.64.0", "81.2.127.255", 5089, "GB", "Virgin Media Limited"),
    ("89.160.0.0", "89.160.63.255", 29518, "SE", "Bredband2 AB"),
    ("3.0.0.0", "3.127.255.255", 16509, "US", "AMAZON-02"),
    ("34.64.0.0", "34.127.255.255", 396982, "US", "GOOGLE-CLOUD-PLATFORM"),
    ("40.64.0.0", "40.127.255.255", 8075, "US", "MICROSOFT-CORP-MSN-AS-BLOCK"),
    ("45.9.148.0", "45.9.151.255", 58212, "DE", "dataforest GmbH"),
    ("185.220.100.0", "185.220.103.255", 205100, "DE", "F3 Netze e.V."),
    ("193.32.126.0", "193.32.127.255", 9009, "GB", "M247 Europe SRL"),
]

USUAL = [0, 1, 2]
RARE = [6, 7, 8]
CLOUD = [3, 4, 5]


def stable(value):
    """A hash that is the same in every process (Python's hash() is salted)."""
    return zlib.crc32(repr(value).encode())


def ip_to_int(ip):
    a, b, c, d = (int(x) for x in ip.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def int_to_ip(n):
    return ".".join(str((n >> s) & 255) for s in (24, 16, 8, 0))


def address(rng, network_index):
    first, last = ip_to_int(NETWORKS[network_index][0]), ip_to_int(NETWORKS[network_index][1])
    return int_to_ip(rng.randint(first + 1, last - 1))


def iso(t):
    import datetime
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Generator:
    def __init__(self, seed, days):
        self.rng = random.Random(seed)
        self.start = 1_793_491_200  # 2026-11-01T00:00:00Z
        self.span = days * 86400
        self.users = [f"dev-{i:03d}" for i in range(40)]
        self.roles = [f"svc-role-{i:02d}" for i in range(25)]
        self.functions = [f"fn-{i:03d}" for i in range(60)]
        self.home = {p: self.rng.choice(USUAL) for p in self.users + self.roles}

    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def identity(self, principal):
        if principal.startswith("svc-role"):
            session = f"session-{self.rng.randint(1000, 9999)}"
            return {
                "type": "AssumedRole",
                "principalId": f"AROA{stable(principal) % 10**12:012d}:{session}",
                "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{principal}/{session}",
                "accountId": ACCOUNT,
                "accessKeyId": f"ASIA{self.rng.getrandbits(64):016X}",
                "sessionContext": {
                    "sessionIssuer": {"type": "Role", "principalId": f"AROA{stable(principal) % 10**12:012d}",
                                      "arn": f"arn:aws:iam::{ACCOUNT}:role/{principal}", "accountId": ACCOUNT,
                                      "userName": principal},
                    "attributes": {"creationDate": "2026-11-01T00:00:00Z", "mfaAuthenticated": "false"},
                },
            }
        return {
            "type": "IAMUser",
            "principalId": f"AIDA{stable(principal) % 10**12:012d}",
            "arn": f"arn:aws:iam::{ACCOUNT}:user/{principal}",
            "accountId": ACCOUNT,
            "accessKeyId": f"AKIA{stable(principal) % 10**16:016d}",
            "userName": principal,
        }

    def base(self, t, principal, source, service, name, region):
        return {
            "eventVersion": "1.09",
            "userIdentity": self.identity(principal),
            "eventTime": iso(t),
            "eventSource": f"{service}.amazonaws.com",
            "eventName": name,
            "awsRegion": region,
            "sourceIPAddress": source,
            "userAgent": self.rng.choice(["aws-cli/2.17.60 md/awscrt#0.22.0 ua/2.0 os/linux#6.1", "Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux", "aws-sdk-go-v2/1.30.4 os/linux lang/go#1.22"]),
            "requestID": self.uid(),
            "eventID": self.uid(),
            "readOnly": name.startswith(("Get", "List", "Describe")),
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": ACCOUNT,
            "eventCategory": "Management",
            "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": f"{service}.{region}.amazonaws.com"},
        }

    def record(self, t):
        rng = self.rng
        principal = rng.choice(self.users + self.roles)
        region = rng.choice(REGIONS)
        roll = rng.random()
        net = self.home[principal]
        if rng.random() < 0.002:
            net = rng.choice(RARE)
        elif rng.random() < 0.05:
            net = rng.choice(CLOUD)
        source = address(rng, net)
        if roll < 0.50:
            bucket = f"data-{rng.randint(1, 30)}"
            key = f"logs/{rng.randint(1, 10**6)}.json"
            r = self.base(t, principal, source, "s3", rng.choice(["GetObject", "PutObject", "HeadObject"]), region)
            r.update(eventCategory="Data", managementEvent=False, readOnly=True,
                     requestParameters={"bucketName": bucket, "Host": f"{bucket}.s3.{region}.amazonaws.com", "key": key},
                     responseElements=None,
                     additionalEventData={"SignatureVersion": "SigV4", "bytesTransferredIn": 0, "bytesTransferredOut": rng.randint(100, 10**6)},
                     resources=[{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
                                {"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}])
            return r
        if roll < 0.66:
            r = self.base(t, principal, source, "sts", "AssumeRole", region)
            role = rng.choice(self.roles)
            r.update(requestParameters={"roleArn": f"arn:aws:iam::{ACCOUNT}:role/{role}", "roleSessionName": f"s{rng.randint(1, 9999)}", "durationSeconds": 3600},
                     responseElements={"credentials": {"accessKeyId": f"ASIA{rng.getrandbits(64):016X}", "expiration": "Nov 1, 2026, 1:00:00 AM", "sessionToken": "IQoJb3JpZ2luX2VjE" + "x" * 200}})
            return r
        if roll < 0.79:
            r = self.base(t, principal, source, "kms", rng.choice(["Decrypt", "GenerateDataKey"]), region)
            r.update(readOnly=True, requestParameters={"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "keyId": f"arn:aws:kms:{region}:{ACCOUNT}:key/{self.uid()}"}, responseElements=None)
            return r
        if roll < 0.90:
            r = self.base(t, principal, source, "ec2", rng.choice(["DescribeInstances", "DescribeSecurityGroups", "DescribeVpcs"]), region)
            r.update(requestParameters={"filterSet": {}, "maxResults": 1000}, responseElements=None)
            return r
        if roll < 0.96:
            r = self.base(t, principal, source, "iam", rng.choice(["GetUser", "ListRoles", "ListAttachedRolePolicies"]), "us-east-1")
            r.update(requestParameters={"userName": rng.choice(self.users)} if r["eventName"] == "GetUser" else None, responseElements=None)
            return r
        fn = rng.choice(self.functions)
        arn = f"arn:aws:lambda:{region}:{ACCOUNT}:function:{fn}"
        if roll < 0.995:
            r = self.base(t, principal, source, "lambda", "Invoke", region)
            r.update(eventCategory="Data", managementEvent=False, readOnly=False,
                     requestParameters={"functionName": arn, "invocationType": rng.choice(["RequestResponse", "Event"])},
                     responseElements=None, additionalEventData={"functionVersion": arn + ":$LATEST"},
                     resources=[{"accountId": ACCOUNT, "type": "AWS::Lambda::Function", "ARN": arn}])
            if rng.random() < 0.2:
                r["userIdentity"] = {"type": "AWSService", "invokedBy": "apigateway.amazonaws.com"}
                r["sourceIPAddress"] = "apigateway.amazonaws.com"
            if rng.random() < 0.01:
                r["errorCode"] = "AccessDeniedException"
                r["errorMessage"] = "User is not authorized to perform: lambda:InvokeFunction"
            return r
        name = rng.choice(["GetFunction20150331v2", "ListFunctions20150331", "UpdateFunctionCode20150331v2",
                           "CreateFunctionUrlConfig20211031", "UpdateFunctionUrlConfig20211031", "AddPermission20150331v2"])
        r = self.base(t, principal, source, "lambda", name, region)
        if "UrlConfig" in name:
            auth = rng.choice(["AWS_IAM", "AWS_IAM", "AWS_IAM", "NONE"])
            r.update(requestParameters={"functionName": fn, "authType": auth},
                     responseElements={"functionUrl": f"https://{self.uid().replace('-', '')}.lambda-url.{region}.on.aws/", "functionArn": arn, "authType": auth, "creationTime": iso(t)})
        else:
            r.update(requestParameters={"functionName": fn}, responseElements=None)
        if rng.random() < 0.05:
            r["errorCode"] = "AccessDeniedException"
        return r

    def records(self, count):
        step = self.span / count
        for i in range(count):
            t = int(self.start + i * step + self.rng.uniform(0, step))
            yield self.record(t)


def write_ip2asn(path):
    with open(path, "w") as f:
        for first, last, asn, cc, org in sorted(NETWORKS, key=lambda n: ip_to_int(n[0])):
            f.write(f"{first}\t{last}\t{asn}\t{cc}\t{org}\n")


class TreeWriter:
    """The S3 delivery layout: one .json.gz object per region and 5 minutes. Records arrive
    roughly in time order; a window already written that receives more records gets a further
    object (as CloudTrail delivers several per window), never an overwrite."""

    def __init__(self, out):
        self.out = out
        self.buckets = {}
        self.parts = {}

    def add(self, r):
        t = int(datetime.datetime.strptime(r["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp())
        key = (r["awsRegion"], t - t % 300 + 300)
        self.buckets.setdefault(key, []).append(r)
        if len(self.buckets) > 64:
            # The window that closed longest ago, whichever its region.
            oldest = min(self.buckets, key=lambda k: (k[1], k[0]))
            self.flush(self.buckets.pop(oldest), oldest)

    def close(self):
        for key in sorted(self.buckets, key=lambda k: (k[1], k[0])):
            self.flush(self.buckets[key], key)
        self.buckets = {}

    def flush(self, records, key):
        region, bucket_time = key
        part = self.parts.get(key, 0)
        self.parts[key] = part + 1
        day = iso(bucket_time)
        d = os.path.join(self.out, "AWSLogs", ACCOUNT, "CloudTrail", region, day[0:4], day[5:7], day[8:10])
        os.makedirs(d, exist_ok=True)
        stamp = day.replace("-", "").replace(":", "")[0:13] + "Z"
        unique = stable((region, bucket_time) if part == 0 else (region, bucket_time, part)) % 10**16
        name = f"{ACCOUNT}_CloudTrail_{region}_{stamp}_{unique:016d}.json.gz"
        with open(os.path.join(d, name), "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
                gz.write(json.dumps({"Records": records}, separators=(",", ":")).encode())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=12)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True)
    ap.add_argument("--formats", default="ndjson,records,s3")
    ap.add_argument("--tree-from", metavar="NDJSON", help="write only the S3 tree, from this generated NDJSON file")
    args = ap.parse_args()
    formats = {"s3"} if args.tree_from else set(args.formats.split(","))
    os.makedirs(args.out, exist_ok=True)
    write_ip2asn(os.path.join(args.out, "ip2asn.tsv"))
    gen = Generator(args.seed, args.days)
    nd = open(os.path.join(args.out, "cloudtrail.ndjson"), "w") if "ndjson" in formats else None
    rec = open(os.path.join(args.out, "Records.json"), "w") if "records" in formats else None
    if rec:
        rec.write('{"Records":[')
    first = True
    tree = TreeWriter(args.out) if "s3" in formats else None
    if args.tree_from:
        # The tree of an existing NDJSON file (the same records, in the same objects, as a run
        # with s3 in --formats would have written), without generating the records again.
        with open(args.tree_from) as source:
            for line in source:
                tree.add(json.loads(line))
        tree.close()
        return
    for r in gen.records(args.records):
        line = json.dumps(r, separators=(",", ":"))
        if nd:
            nd.write(line + "\n")
        if rec:
            rec.write(("" if first else ",") + line)
            first = False
        if tree:
            tree.add(r)
    if tree:
        tree.close()
    if rec:
        rec.write("]}")
        rec.close()
    if nd:
        nd.close()


if __name__ == "__main__":
    main()
