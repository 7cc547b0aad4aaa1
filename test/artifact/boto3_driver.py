"""The boto3 driver of test/artifact/boto3-artifact.test.ts: a client nobody here wrote, against the portal.

Runs every Artifact operation of the installed botocore model the portal serves, in one process, against one
server seeded with the demo data, and asserts on boto3's parsed responses and raised error codes. Prints one
JSON line per check; exits non-zero (with the failing check) on the first failure.

Environment: ARTIFACT_ENDPOINT (…/artifact), PORTAL_API (…/api), ADMIN_TOKEN (a bearer token of the demo
admin, MFA passed), AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (a key the test created for the admin),
ORG_ID and MFA_SECRET (the admin's organization and TOTP secret: the driver computes its codes, as an
authenticator app would).
"""

import base64
import hashlib
import hmac
import json
import struct
import time
import os
import sys
import urllib.request

import boto3
import botocore
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

ENDPOINT = os.environ["ARTIFACT_ENDPOINT"]
API = os.environ["PORTAL_API"]
TOKEN = os.environ["ADMIN_TOKEN"]
KEY = os.environ["AWS_ACCESS_KEY_ID"]
SECRET = os.environ["AWS_SECRET_ACCESS_KEY"]
REGION = "us-east-1"
ORG_ID = os.environ["ORG_ID"]
MFA_SECRET = os.environ["MFA_SECRET"]


def totp(offset_steps=0):
    """RFC 6238 (SHA-1, 6 digits, 30 s), as an authenticator app computes it."""
    key = base64.b32decode(MFA_SECRET)
    step = int(time.time() // 30) + offset_steps
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def check(name, condition, detail=""):
    print(json.dumps({"check": name, "ok": bool(condition), "detail": str(detail)[:500]}), flush=True)
    if not condition:
        sys.exit(f"FAILED: {name}: {detail}")


def client(key=KEY, secret=SECRET):
    return boto3.client(
        "artifact",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        # One attempt: a refusal is the answer under test, not something to retry.
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def error_code(call):
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]
    return None, 200


def portal(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data=data, method=method)
    request.add_header("authorization", f"Bearer {TOKEN}")
    if data is not None:
        request.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(request) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "null")


def next_second():
    """SDKs sign the time to the second: the same request again needs the next second (or it is a replay)."""
    time.sleep(1.02 - (time.time() % 1))


def fetch(url):
    with urllib.request.urlopen(url) as response:
        return response.read()


artifact = client()
model_ops = set(artifact.meta.service_model.operation_names)
print(json.dumps({"botocore": botocore.__version__, "operations": sorted(model_ops)}), flush=True)

# ---- Reports: list (paged), versions, metadata, term, download of the watermarked copy ----
first = artifact.list_reports(maxResults=5)
check("ListReports pages by maxResults", len(first["reports"]) == 5 and "nextToken" in first, first.get("nextToken"))
paginator = artifact.get_paginator("list_reports")
reports = [r for page in paginator.paginate(PaginationConfig={"PageSize": 4}) for r in page["reports"]]
check("ListReports paginator walks every page", len(reports) >= 12, len(reports))
check("report ids follow the model's pattern", all(r["id"].startswith("report-") and len(r["id"]) == 23 for r in reports))
check("ids are unique", len({r["id"] for r in reports}) == len(reports))
soc2 = next(r for r in reports if r["name"] == "Example Cloud SOC 2 Type II")
check("ReportSummary carries category, series, state, version", soc2["category"] == "SOC" and soc2["series"] == "SOC 2 Type II" and soc2["state"] == "PUBLISHED" and soc2["version"] >= 1, soc2)
check("periods parse as timestamps", hasattr(soc2["periodEnd"], "year"), type(soc2["periodEnd"]))

versions = artifact.list_report_versions(reportId=soc2["id"], maxResults=2)
check("ListReportVersions lists newest first, paged", len(versions["reports"]) == 2 and versions["reports"][0]["version"] > versions["reports"][1]["version"] and "nextToken" in versions, versions["reports"])
rest = artifact.list_report_versions(reportId=soc2["id"], nextToken=versions["nextToken"])
check("ListReportVersions second page", len(rest["reports"]) >= 1 and "nextToken" not in rest, rest)

meta = artifact.get_report_metadata(reportId=soc2["id"])["reportDetails"]
check("GetReportMetadata: newest version and its term", meta["version"] == soc2["version"] and meta["termArn"].startswith("arn:aws:artifact:") and meta["acceptanceType"] in ("EXPLICIT", "PASSTHROUGH"), meta)
old = artifact.get_report_metadata(reportId=soc2["id"], reportVersion=1)["reportDetails"]
check("GetReportMetadata of an older version", old["version"] == 1, old)

term = artifact.get_term_for_report(reportId=soc2["id"], reportVersion=meta["version"])
terms_text = fetch(term["documentPresignedUrl"]).decode()
check("GetTermForReport: term token and a readable terms document", len(term["termToken"]) > 20 and len(terms_text) > 20, terms_text[:80])

got = artifact.get_report(reportId=soc2["id"], reportVersion=meta["version"], termToken=term["termToken"])
pdf = fetch(got["documentPresignedUrl"])
check("GetReport: a PDF behind the presigned URL", pdf.startswith(b"%PDF"), pdf[:8])
status, downloads = portal("GET", "/downloads")
check("the download is recorded like any other", status == 200 and any(d.get("reportId") and d.get("downloadId") for d in downloads["items"]), downloads)
latest = downloads["items"][0]
check("the copy is watermarked with the download id", latest["downloadId"].encode() in pdf or b"Watermark" in pdf or len(pdf) > 1000, latest["downloadId"])

# (Without reportVersion, the newest: the same version, in a request signed differently from the first.)
code, status = error_code(lambda: artifact.get_report(reportId=soc2["id"], termToken=term["termToken"]))
check("a used term token -> ConflictException", code == "ConflictException" and status == 409, code)
code, status = error_code(lambda: artifact.get_report_metadata(reportId="report-0000000000000000"))
check("unknown report -> ResourceNotFoundException", code == "ResourceNotFoundException" and status == 404, code)
code, status = error_code(lambda: artifact.get_report_metadata(reportId="rpt-not-an-alias"))
check("malformed id -> ValidationException", code == "ValidationException" and status == 400, code)

# ---- Agreements: the organization's acceptances, with their state ----
# The demo seed accepted the BAA for one account; an organization-wide acceptance joins it here.
status, catalog = portal("GET", "/agreements")
org_wide = next(a for a in catalog["items"] if "organization" in a["subjects"] and not a["ndaRequired"] and a.get("latestRevision"))
status, accepted = portal("POST", f"/agreements/{org_wide['id']}/acceptances", {"scope": "organization", "revisionId": org_wide["latestRevision"]["id"]})
check("an organization-wide acceptance through the portal", status == 201, accepted)
agreements = artifact.list_customer_agreements()["customerAgreements"]
check("ListCustomerAgreements lists account and organization acceptances", len(agreements) >= 2 and {a["state"] for a in agreements} <= {"ACTIVE", "CUSTOMER_TERMINATED", "AWS_TERMINATED"}, agreements)
check("customer agreement ids follow the model's pattern", all(a["id"].startswith("customer-agreement-") and len(a["id"]) == 35 for a in agreements))
check("an organization acceptance names its organization", any("organizationArn" in a for a in agreements) and any("organizationArn" not in a for a in agreements), agreements)
check("effectiveStart parses as a timestamp", all(hasattr(a["effectiveStart"], "year") for a in agreements))
paged = [a for page in artifact.get_paginator("list_customer_agreements").paginate(PaginationConfig={"PageSize": 1}) for a in page["customerAgreements"]]
check("ListCustomerAgreements paginator", [a["id"] for a in paged] == [a["id"] for a in agreements], len(paged))

# ---- Operations of the current API reference that this botocore model lacks: signed by botocore's own signer ----
def signed(method, path, body=None, credentials=None):
    data = None if body is None else json.dumps(body)
    request = AWSRequest(method=method, url=ENDPOINT + path, data=data,
                         headers={"content-type": "application/json"} if data is not None else {})
    SigV4Auth(credentials or Credentials(KEY, SECRET), "artifact", REGION).add_auth(request)
    prepared = request.prepare()
    raw = urllib.request.Request(prepared.url, data=None if data is None else data.encode(),
                                 headers=dict(prepared.headers.items()), method=method)
    try:
        with urllib.request.urlopen(raw) as response:
            return response.status, json.loads(response.read().decode()), None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "null"), error.headers["x-amzn-ErrorType"]


def signed_get(path, credentials=None):
    return signed("GET", path, credentials=credentials)


status, listed, _ = signed_get("/v1/agreement/list")
check("ListAgreements (signed by botocore's SigV4Auth)", status == 200 and len(listed["agreements"]) >= 2 and all(a["id"].startswith("agreement-") for a in listed["agreements"]), listed)
check("an agreement names its subjects", all(set(a["subjects"]) <= {"ACCOUNT", "ORGANIZATION"} for a in listed["agreements"]))
status, one, _ = signed_get(f"/v1/customer-agreement/get?customerAgreementId={agreements[0]['id']}")
check("GetCustomerAgreement: the document, the terminate token and terms", status == 200 and one["terminateAgreementToken"].startswith("agreement-token-") and len(one["terminateAgreementToken"]) == 40 and one["terminateTerms"] and fetch(one["documentPresignedUrl"]), one)
status, missing, error_type = signed_get("/v1/customer-agreement/get?customerAgreementId=customer-agreement-0000000000000000")
check("GetCustomerAgreement of an unknown id -> ResourceNotFoundException", status == 404 and error_type == "ResourceNotFoundException", error_type)
status, _, error_type = signed_get("/v1/no/such/operation")
check("an unknown operation -> UnknownOperationException", status == 404 and error_type == "UnknownOperationException", error_type)

me_status, me = portal("GET", "/me")
me_user_id = me["user"]["userId"]

# ---- Account settings: the caller's notification subscriptions ----
settings = artifact.get_account_settings()["accountSettings"]
check("GetAccountSettings", settings["notificationSubscriptionStatus"] in ("SUBSCRIBED", "NOT_SUBSCRIBED"), settings)
on = artifact.put_account_settings(notificationSubscriptionStatus="SUBSCRIBED")["accountSettings"]
status, subscriptions = portal("GET", "/subscriptions")
check("PutAccountSettings SUBSCRIBED -> a portal subscription to report and agreement news", on["notificationSubscriptionStatus"] == "SUBSCRIBED" and any("report.published" in s["kinds"] for s in subscriptions["items"]), subscriptions)
off = artifact.put_account_settings(notificationSubscriptionStatus="NOT_SUBSCRIBED")["accountSettings"]
status, subscriptions = portal("GET", "/subscriptions")
check("PutAccountSettings NOT_SUBSCRIBED -> no subscription left", off["notificationSubscriptionStatus"] == "NOT_SUBSCRIBED" and subscriptions["items"] == [], subscriptions)

# ---- The agreement flow: NDA token -> agreement token -> acceptance (MFA: temporary credentials from STS) ----
dpa = next(a for a in listed["agreements"] if a["name"] == "GDPR Data Processing Addendum")
status, nda, _ = signed_get(f"/v1/agreement/getNdaForAgreement?agreementId={dpa['id']}")
check("GetNdaForAgreement: the NDA document, its token and the revision", status == 200 and nda["acceptNdaForAgreementToken"].startswith("nda-token-") and len(nda["acceptNdaForAgreementToken"]) == 34 and len(nda["agreementRevisionId"]) == 36 and nda["agreementRevisionId"] == dpa["revisionId"] and b"confidential" in fetch(nda["documentPresignedUrl"]), nda)
status, _, error_type = signed("POST", "/v1/agreement/acceptNdaForAgreement", {"agreementId": dpa["id"], "agreementRevisionId": nda["agreementRevisionId"], "ndaToken": "nda-token-" + "0" * 24})
check("AcceptNdaForAgreement with a foreign token -> ValidationException", status == 400 and error_type == "ValidationException", error_type)
status, nda_accepted, _ = signed("POST", "/v1/agreement/acceptNdaForAgreement", {"agreementId": dpa["id"], "agreementRevisionId": nda["agreementRevisionId"], "ndaToken": nda["acceptNdaForAgreementToken"]})
check("AcceptNdaForAgreement -> the token GetAgreement takes", status == 200 and nda_accepted["getAgreementToken"].startswith("nda-token-"), nda_accepted)
status, doc, _ = signed_get(f"/v1/agreement/get?agreementId={dpa['id']}&ndaToken={nda_accepted['getAgreementToken']}")
check("GetAgreement: the document, the terms and both tokens", status == 200 and b"Data Processing Addendum" in fetch(doc["documentPresignedUrl"]) and doc["acceptanceTerms"] and doc["acceptanceTermsToken"].startswith("agreement-token-") and doc["executeAgreementToken"].startswith("agreement-token-"), doc)
accept_body = {"agreementId": dpa["id"], "agreementRevisionId": doc["agreementRevisionId"], "acceptanceTermsToken": doc["acceptanceTermsToken"], "executeAgreementToken": doc["executeAgreementToken"]}
status, refused, error_type = signed("POST", "/v1/agreement/accept", accept_body)
check("AcceptAgreement with an access key (no MFA) -> AccessDeniedException naming GetSessionToken", status == 403 and error_type == "AccessDeniedException" and "GetSessionToken" in refused["message"], refused)

sts = boto3.client("sts", endpoint_url=ENDPOINT + "/sts", region_name=REGION, aws_access_key_id=KEY, aws_secret_access_key=SECRET, config=Config(retries={"max_attempts": 1, "mode": "standard"}))
serial = f"arn:portal:{ORG_ID}::mfa/{me_user_id}"
wrong = "%06d" % ((int(totp(1)) + 1) % 1000000)
code, status = error_code(lambda: sts.get_session_token(SerialNumber=serial, TokenCode=wrong))
check("GetSessionToken with a wrong code -> AccessDenied", code == "AccessDenied" and status == 403, code)
mfa_code = totp(1)
session = sts.get_session_token(SerialNumber=serial, TokenCode=mfa_code, DurationSeconds=900)["Credentials"]
check("GetSessionToken (boto3's sts client): temporary credentials", session["AccessKeyId"].startswith("ASIA") and session["SessionToken"] and hasattr(session["Expiration"], "year"), session["AccessKeyId"])
code, status = error_code(lambda: sts.get_session_token(SerialNumber=serial, TokenCode=mfa_code))
check("the same MFA code twice -> AccessDenied", code == "AccessDenied", code)
temporary = boto3.client("artifact", endpoint_url=ENDPOINT, region_name=REGION, aws_access_key_id=session["AccessKeyId"], aws_secret_access_key=session["SecretAccessKey"], aws_session_token=session["SessionToken"], config=Config(retries={"max_attempts": 1, "mode": "standard"}))
check("boto3 signs with the temporary credentials (aws_session_token)", len(temporary.list_reports(maxResults=2)["reports"]) == 2)
code, status = error_code(lambda: client(key=session["AccessKeyId"], secret=session["SecretAccessKey"]).list_reports())
check("temporary credentials without their session token -> UnrecognizedClientException", code == "UnrecognizedClientException", code)
temporary_sts = boto3.client("sts", endpoint_url=ENDPOINT + "/sts", region_name=REGION, aws_access_key_id=session["AccessKeyId"], aws_secret_access_key=session["SecretAccessKey"], aws_session_token=session["SessionToken"], config=Config(retries={"max_attempts": 1, "mode": "standard"}))
code, status = error_code(lambda: temporary_sts.get_session_token())
check("GetSessionToken with session credentials -> AccessDenied", code == "AccessDenied", code)
mfa_credentials = Credentials(session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"])

status, deny = portal("POST", "/org/policies", {"name": "DenyArtifactAccept", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "artifact:AcceptAgreement", "Resource": "*"}]}})
status, _ = portal("POST", "/org/attachments", {"targetType": "user", "targetId": me_user_id, "policy": deny["policyId"]})
status, denied, error_type = signed("POST", "/v1/agreement/accept", accept_body, mfa_credentials)
check("Deny artifact:AcceptAgreement -> AccessDeniedException, even with MFA", status == 403 and error_type == "AccessDeniedException" and "GetSessionToken" not in denied["message"], denied)
status, _ = portal("DELETE", f"/org/attachments/user/{me_user_id}/{deny['policyId']}")

next_second()
status, accepted_dpa, _ = signed("POST", "/v1/agreement/accept", accept_body, mfa_credentials)
check("AcceptAgreement with MFA (temporary credentials) -> an ACTIVE customer agreement", status == 200 and accepted_dpa["customerAgreement"]["state"] == "ACTIVE" and accepted_dpa["customerAgreement"]["id"].startswith("customer-agreement-"), accepted_dpa)
next_second()
status, again, error_type = signed("POST", "/v1/agreement/accept", accept_body, mfa_credentials)
check("accepting it again -> ConflictException", status == 409 and error_type == "ConflictException", again)
customer_id = accepted_dpa["customerAgreement"]["id"]
check("ListCustomerAgreements lists the new acceptance", any(a["id"] == customer_id and a["state"] == "ACTIVE" for a in artifact.list_customer_agreements(maxResults=100)["customerAgreements"]))
status, got_customer, _ = signed_get(f"/v1/customer-agreement/get?customerAgreementId={customer_id}")
terminate_body = {"customerAgreementId": customer_id, "terminateAgreementToken": got_customer["terminateAgreementToken"]}
status, refused, error_type = signed("POST", "/v1/customer-agreement/terminate", terminate_body)
check("TerminateAgreement with an access key -> AccessDeniedException (MFA)", status == 403 and error_type == "AccessDeniedException" and "GetSessionToken" in refused["message"], refused)
status, terminated, _ = signed("POST", "/v1/customer-agreement/terminate", terminate_body, mfa_credentials)
check("TerminateAgreement with MFA -> CUSTOMER_TERMINATED with its end", status == 200 and terminated["customerAgreement"]["state"] == "CUSTOMER_TERMINATED" and terminated["customerAgreement"]["effectiveEnd"], terminated)
next_second()
status, _, error_type = signed("POST", "/v1/customer-agreement/terminate", terminate_body, mfa_credentials)
check("terminating it again -> ConflictException", status == 409 and error_type == "ConflictException", error_type)
status, entries = portal("GET", "/ledger?limit=50")
actions = [e["action"] for e in entries["items"]]
check("the ledger records the issue, the acceptance and the termination", {"identity:SessionCredentialsIssued", "agreement:Accepted", "agreement:Terminated", "agreement:NdaAccepted"} <= set(actions), actions[:20])

# ---- Tags: per organization, on reports and agreements, by the ARNs ListReports and ListAgreements answer ----
def tags_of(arn):
    # The same GET signed twice in one second is the same signature, which the portal refuses as a replay.
    next_second()
    return artifact.list_tags_for_resource(resourceArn=arn)["tags"]


for kind, arn in (("report", soc2["arn"]), ("agreement", dpa["arn"])):
    check(f"{kind}: ListTagsForResource of an untagged {kind} -> no tags", tags_of(arn) == {}, arn)
    tagged = artifact.tag_resource(resourceArn=arn, tags={"owner": "risk team", "env": "prod", "ticket": "SEC-42"})
    check(f"{kind}: TagResource answers the empty output", {k for k in tagged if k != "ResponseMetadata"} == set() and tagged["ResponseMetadata"]["HTTPStatusCode"] == 204, tagged)
    artifact.tag_resource(resourceArn=arn, tags={"env": "staging"})
    listed_tags = tags_of(arn)
    check(f"{kind}: ListTagsForResource lists the merged tags", listed_tags == {"owner": "risk team", "env": "staging", "ticket": "SEC-42"}, listed_tags)
    untagged = artifact.untag_resource(resourceArn=arn, tagKeys=["env", "ticket", "never-set"])
    check(f"{kind}: UntagResource (several tagKeys) answers the empty output", untagged["ResponseMetadata"]["HTTPStatusCode"] == 204, untagged)
    listed_tags = tags_of(arn)
    check(f"{kind}: ListTagsForResource again: only what was left", listed_tags == {"owner": "risk team"}, listed_tags)
    code, status = error_code(lambda: artifact.tag_resource(resourceArn=arn, tags={"bad#key": "x"}))
    check(f"{kind}: an invalid tag key -> ValidationException", code == "ValidationException" and status == 400, code)
    code, status = error_code(lambda: artifact.tag_resource(resourceArn=arn, tags={"aws:owner": "x"}))
    check(f"{kind}: a reserved aws: key -> ValidationException", code == "ValidationException" and status == 400, code)
    code, status = error_code(lambda: artifact.tag_resource(resourceArn=arn, tags={f"k{i}": "v" for i in range(50)}))
    check(f"{kind}: 51 tags after the merge -> ValidationException", code == "ValidationException" and status == 400, code)
    listed_tags = tags_of(arn)
    check(f"{kind}: ... and nothing was written", listed_tags == {"owner": "risk team"}, listed_tags)

try:
    artifact.tag_resource(resourceArn=soc2["arn"], tags={"bad#key": "x"})
except ClientError as error:
    check("the ValidationException names the field", error.response.get("reason") == "fieldValidationFailed" and any("bad#key" in f["name"] for f in error.response.get("fieldList", [])), error.response)
for missing_arn in ("arn:aws:artifact:us-east-1::report/report-0000000000000000", "arn:aws:artifact:us-east-1::agreement/agreement-0000000000000000", f"arn:portal:{ORG_ID}::report/rpt-no-such-report", "arn:portal:o-someone-else::report/rpt-1"):
    code, status = error_code(lambda: artifact.list_tags_for_resource(resourceArn=missing_arn))
    check(f"ListTagsForResource of {missing_arn} -> ResourceNotFoundException", code == "ResourceNotFoundException" and status == 404, code)
    code, status = error_code(lambda: artifact.tag_resource(resourceArn=missing_arn, tags={"a": "b"}))
    check(f"TagResource of {missing_arn} -> ResourceNotFoundException", code == "ResourceNotFoundException" and status == 404, code)
code, status = error_code(lambda: artifact.untag_resource(resourceArn="arn:aws:artifact:us-east-1::report/report-0000000000000000", tagKeys=["a"]))
check("UntagResource of an unknown ARN -> ResourceNotFoundException", code == "ResourceNotFoundException" and status == 404, code)
status, portal_tags = portal("GET", f"/agreements/{next(a for a in catalog['items'] if a['name'] == dpa['name'])['id']}/tags")
check("the portal API reads the tags boto3 wrote (the same resource)", status == 200 and portal_tags["tags"] == {"owner": "risk team"}, portal_tags)
status, entries = portal("GET", "/ledger?limit=50")
actions = [e["action"] for e in entries["items"]]
check("the ledger records each tag change", actions.count("tag:ResourceTagged") >= 4 and actions.count("tag:ResourceUntagged") >= 2, actions[:20])

status, deny_tags = portal("POST", "/org/policies", {"name": "DenyProdTags", "document": {"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "artifact:TagResource", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestTag/env": "prod"}}}]}})
check("a policy on aws:RequestTag is accepted", status == 201, deny_tags)
status, _ = portal("POST", "/org/attachments", {"targetType": "user", "targetId": me_user_id, "policy": deny_tags["policyId"]})
code, status = error_code(lambda: artifact.tag_resource(resourceArn=soc2["arn"], tags={"env": "prod"}))
check("Deny artifact:TagResource on aws:RequestTag/env=prod -> AccessDeniedException", code == "AccessDeniedException" and status == 403, code)
artifact.tag_resource(resourceArn=soc2["arn"], tags={"env": "dev"})
check("... other values still tag", tags_of(soc2["arn"]).get("env") == "dev")
status, _ = portal("DELETE", f"/org/attachments/user/{me_user_id}/{deny_tags['policyId']}")

code, status = error_code(lambda: client(secret=SECRET[:-1] + ("A" if SECRET[-1] != "A" else "B")).list_reports())
check("wrong secret -> InvalidSignatureException", code == "InvalidSignatureException" and status == 403, code)
code, status = error_code(lambda: client(key="AKIAAAAAAAAAAAAAAAAA").list_reports())
check("unknown key -> UnrecognizedClientException", code == "UnrecognizedClientException" and status == 403, code)
request = urllib.request.Request(ENDPOINT + "/v1/report/list")
try:
    urllib.request.urlopen(request)
    check("unsigned request is refused", False)
except urllib.error.HTTPError as error:
    check("unsigned -> MissingAuthenticationTokenException", error.code == 403 and error.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException", error.headers["x-amzn-ErrorType"])

signed = AWSRequest(method="GET", url=ENDPOINT + "/v1/report/list?maxResults=1")
SigV4Auth(Credentials(KEY, SECRET), "artifact", REGION).add_auth(signed)
prepared = signed.prepare()
replay_headers = dict(prepared.headers.items())
once = urllib.request.urlopen(urllib.request.Request(prepared.url, headers=replay_headers))
check("a request signed by botocore's SigV4Auth is accepted", once.status == 200)
try:
    urllib.request.urlopen(urllib.request.Request(prepared.url, headers=replay_headers))
    check("replay is refused", False)
except urllib.error.HTTPError as error:
    check("the same signature again -> InvalidSignatureException (replay)", error.code == 403 and error.headers["x-amzn-ErrorType"] == "InvalidSignatureException", error.read()[:200])
tampered = dict(replay_headers)
try:
    urllib.request.urlopen(urllib.request.Request(prepared.url.replace("maxResults=1", "maxResults=2"), headers=tampered))
    check("a changed query is refused", False)
except urllib.error.HTTPError as error:
    check("a changed query -> InvalidSignatureException", error.code == 403, error.code)

# ---- The last-used time reaches the credential report ----
status, report = portal("GET", "/org/credential-report")
row = next(r for r in report["items"] if r["email"] == "admin@example.com")
key_row = next(k for k in row["accessKeys"] if k["accessKeyId"] == KEY)
check("credential report: last used, for artifact", key_row.get("lastUsedService") == "artifact" and key_row.get("lastUsedAt"), key_row)

# ---- A Deny policy written for AWS Artifact -> AccessDeniedException ----
status, policy = portal("POST", "/org/policies", {"name": "DenyArtifactSocDownloads", "document": {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": ["artifact:GetReport", "artifact:GetTermForReport"], "Resource": "*",
                   "Condition": {"StringEquals": {"artifact:ReportCategory": "SOC"}}}]}})
check("a policy in Artifact's vocabulary is accepted", status == 201, policy)
me_status, me = portal("GET", "/me")
status, attached = portal("POST", "/org/attachments", {"targetType": "user", "targetId": me["user"]["userId"], "policy": policy["policyId"]})
check("attached to the key's user", status in (200, 201), attached)
code, status = error_code(lambda: artifact.get_term_for_report(reportId=soc2["id"]))
check("Deny artifact:GetTermForReport on SOC -> AccessDeniedException", code == "AccessDeniedException" and status == 403, code)
iso = next(r for r in reports if r["category"] == "ISO")
check("the Deny is scoped by artifact:ReportCategory (ISO still allowed)", len(artifact.get_term_for_report(reportId=iso["id"])["termToken"]) > 20)
status, _ = portal("DELETE", f"/org/attachments/user/{me['user']['userId']}/{policy['policyId']}")
check("detached", status == 204, status)

# ---- Deactivating the key refuses the very next request ----
status, updated = portal("PATCH", f"/me/access-keys/{KEY}", {"status": "Inactive"})
check("key deactivated through the portal API", status == 200 and updated["status"] == "Inactive", updated)
code, status = error_code(lambda: artifact.list_reports())
check("deactivated key -> UnrecognizedClientException", code == "UnrecognizedClientException" and status == 403, code)
status, updated = portal("PATCH", f"/me/access-keys/{KEY}", {"status": "Active"})
check("reactivated", len(artifact.list_reports(maxResults=3)["reports"]) == 3)
code, status = error_code(lambda: temporary.list_reports())
check("temporary credentials issued before the deactivation stay revoked", code == "UnrecognizedClientException", code)

served = {"ListReports", "ListReportVersions", "GetReportMetadata", "GetTermForReport", "GetReport", "ListCustomerAgreements", "GetAccountSettings", "PutAccountSettings", "ListTagsForResource", "TagResource", "UntagResource"}
check("every served operation is in the installed model", served <= model_ops, served - model_ops)
print(json.dumps({"served": sorted(served & model_ops), "not_served": sorted(model_ops - served)}), flush=True)
print(json.dumps({"done": True}), flush=True)
