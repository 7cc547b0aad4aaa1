"""The boto3 driver of test/artifact/boto3-artifact.test.ts: a client nobody here wrote, against the portal.

Runs every Artifact operation of the installed botocore model the portal serves, in one process, against one
server seeded with the demo data, and asserts on boto3's parsed responses and raised error codes. Prints one
JSON line per check; exits non-zero (with the failing check) on the first failure.

Environment: ARTIFACT_ENDPOINT (…/artifact), PORTAL_API (…/api), ADMIN_TOKEN (a bearer token of the demo
admin, MFA passed), AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (a key the test created for the admin),
ORG_ID and MFA_SECRET (the admin's organization and TOTP secret: the driver computes its codes, as an
authenticator app would), PUBLISHER_TOKEN (a bearer token of the portal operator's publisher, who answers
compliance inquiries in human review).
"""

import base64
import hashlib
import hmac
import json
import struct
import time
import os
import re
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
PUBLISHER_TOKEN = os.environ["PUBLISHER_TOKEN"]


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


def portal(method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data=data, method=method)
    request.add_header("authorization", f"Bearer {token or TOKEN}")
    if data is not None:
        request.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(request) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "null")


def operator(method, path, body=None):
    """The portal operator's publisher (organization o-portal-operator), through the portal API."""
    return portal(method, path, body, PUBLISHER_TOKEN)


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


# ---- Compliance inquiries: answered by retrieval over the report catalog, with citations ----
INQUIRY_ID = re.compile(r"^compliance-inquiry-[a-zA-Z0-9]{16}$")
created = artifact.create_compliance_inquiry(name="Vendor security review", inquiryContent={"query": "Do you have a current SOC 2 Type II report?"}, tags={"team": "security"})
text_inquiry = created["complianceInquirySummary"]
check("CreateComplianceInquiry (text): an id of the model's pattern, COMPLETED, TEXT", INQUIRY_ID.match(text_inquiry["id"]) and text_inquiry["status"] == "COMPLETED" and text_inquiry["inputSource"] == "TEXT" and text_inquiry["statusMessage"] == "Compliance inquiry processing is complete." and hasattr(text_inquiry["createdAt"], "year") and text_inquiry["arn"].endswith(":compliance-inquiry/" + text_inquiry["id"]), text_inquiry)
check("CreateComplianceInquiry answers its tags", created["tags"] == {"team": "security"}, created.get("tags"))
check("an inquiry's tags are the tag operations' too (its Artifact ARN)", artifact.list_tags_for_resource(resourceArn=text_inquiry["arn"])["tags"] == {"team": "security"})
answer = artifact.list_compliance_inquiry_queries(complianceInquiryId=text_inquiry["id"])["queries"][0]
check("the answer quotes and cites the SOC 2 Type II report (label, excerpt, report ARN)", "SOC 2 Type II" in answer["response"] and answer["citations"] and all(c["sourceLink"].startswith("arn:aws:artifact:us-east-1::report/report-") and "SOC 2 Type II" in c["sourceContent"] for c in answer["citations"]) and any(c["sourceLabel"].startswith("Example Cloud SOC 2 Type II") for c in answer["citations"]), answer)
check("a retrieval answer is not labelled AI (no reviewType), status from the model", "reviewType" not in answer and answer["status"] == "COMPLETED" and answer["statusMessage"] == "Query processing is complete." and answer["updatedResponseVersions"] == [] and answer["queryIdentifier"] == 1, answer)

csv = "ID,Question,Owner\n" + "\n".join([
    '1,Do you hold an ISO 27001 certificate?,security',
    '2,"Is there a PCI DSS attestation of compliance, and for which version?",security',
    '3,What colour are the office carpets?,facilities',
    '4,Do you have a FedRAMP Moderate authorization?,security',
    '5,Is there a SOC 1 Type II report?,finance',
]) + "\n"
file_created = artifact.create_compliance_inquiry(name="Questionnaire 2026", inquiryContent={"fileContent": {"content": csv.encode(), "fileSections": ["Question"]}}, clientToken="questionnaire-2026-a")
file_inquiry = file_created["complianceInquirySummary"]
check("CreateComplianceInquiry (CSV file, fileSections = the question column) -> FILE, COMPLETED", file_inquiry["inputSource"] == "FILE" and file_inquiry["status"] == "COMPLETED", file_inquiry)
next_second()
again = artifact.create_compliance_inquiry(name="Questionnaire 2026", inquiryContent={"fileContent": {"content": csv.encode(), "fileSections": ["Question"]}}, clientToken="questionnaire-2026-a")
check("the same clientToken and input -> the same inquiry", again["complianceInquirySummary"]["id"] == file_inquiry["id"], again["complianceInquirySummary"]["id"])
code, status = error_code(lambda: artifact.create_compliance_inquiry(name="Another questionnaire", inquiryContent={"fileContent": {"content": csv.encode()}}, clientToken="questionnaire-2026-a"))
check("the same clientToken with a different input -> ConflictException", code == "ConflictException" and status == 409, code)

pages = list(artifact.get_paginator("list_compliance_inquiry_queries").paginate(complianceInquiryId=file_inquiry["id"], PaginationConfig={"PageSize": 2}))
rows = [q for page in pages for q in page["queries"]]
check("ListComplianceInquiryQueries pages (paginator, 2 a page)", len(pages) == 3 and [q["queryIdentifier"] for q in rows] == [1, 2, 3, 4, 5] and rows[1]["query"].startswith("Is there a PCI DSS attestation of compliance, and for which version"), [q["query"] for q in rows])
check("each CSV question is answered from its report", "ISO" in rows[0]["response"] and "PCI DSS" in rows[1]["response"] and "FedRAMP" in rows[3]["response"] and "SOC 1" in rows[4]["response"], [q["response"][:60] for q in rows])
check("a question no report addresses gets an honest answer and no citation", rows[2]["citations"] == [] and "No published report" in rows[2]["response"], rows[2])

meta = artifact.get_compliance_inquiry_metadata(complianceInquiryId=text_inquiry["id"])
detail = meta["complianceInquiryDetail"]
check("GetComplianceInquiryMetadata: detail, supportMode, updatedAt, tags", detail["id"] == text_inquiry["id"] and detail["name"] == "Vendor security review" and detail["supportMode"] == "AI_ONLY" and hasattr(detail["updatedAt"], "year") and meta["tags"] == {"team": "security"}, meta)
listed = [i for page in artifact.get_paginator("list_compliance_inquiries").paginate(PaginationConfig={"PageSize": 1}) for i in page["complianceInquiries"]]
check("ListComplianceInquiries paginator walks the organization's inquiries, newest first", [i["id"] for i in listed][:2] == [file_inquiry["id"], text_inquiry["id"]] and len({i["id"] for i in listed}) == len(listed), [i["id"] for i in listed])

submitted = artifact.put_compliance_inquiry_feedback(complianceInquiryId=file_inquiry["id"], queryIdentifier=2, rating="THUMBS_UP", responseRevisionId=0, comment="Clear and cited.")
check("PutComplianceInquiryFeedback -> submittedAt", hasattr(submitted["submittedAt"], "year"), submitted)
down = artifact.put_compliance_inquiry_feedback(complianceInquiryId=file_inquiry["id"], queryIdentifier=3, rating="THUMBS_DOWN", reasonCodes=["IRRELEVANT_RESPONSE"], clientToken="feedback-carpets")
next_second()
down_again = artifact.put_compliance_inquiry_feedback(complianceInquiryId=file_inquiry["id"], queryIdentifier=3, rating="THUMBS_DOWN", reasonCodes=["IRRELEVANT_RESPONSE"], clientToken="feedback-carpets")
check("feedback with the same clientToken is recorded once (the same submittedAt)", down["submittedAt"] == down_again["submittedAt"], (down, down_again))
code, status = error_code(lambda: artifact.put_compliance_inquiry_feedback(complianceInquiryId=file_inquiry["id"], queryIdentifier=2, rating="THUMBS_DOWN", responseRevisionId=3))
check("feedback on a stale responseRevisionId -> ConflictException", code == "ConflictException" and status == 409, code)

# FULL_SUPPORT: the queries wait for the portal operator's human review; each answer is a new response revision.
full = artifact.create_compliance_inquiry(name="Reviewed questionnaire", inquiryContent={"fileContent": {"content": b"Do you encrypt backups at rest?\nIs there a SOC 2 Type II report?\n"}}, supportMode="FULL_SUPPORT")["complianceInquirySummary"]
check("FULL_SUPPORT (plain-text file) -> HUMAN_REVIEW", full["status"] == "HUMAN_REVIEW" and full["statusMessage"] == "Human review is in progress.", full)
pending = artifact.list_compliance_inquiry_queries(complianceInquiryId=full["id"])["queries"]
check("its queries are pending human review, unanswered", all(q["status"] == "PROCESSING" and q["statusMessage"] == "Query is pending human review." and "response" not in q for q in pending), pending)
code, status = error_code(lambda: artifact.put_compliance_inquiry_feedback(complianceInquiryId=full["id"], queryIdentifier=1, rating="THUMBS_UP"))
check("feedback on an unanswered query -> ConflictException", code == "ConflictException", code)
status, queue = operator("GET", "/compliance-inquiry-reviews")
check("the operator's review queue lists it", status == 200 and any(i["id"] == full["id"] and i["orgId"] == ORG_ID for i in queue["items"]), queue)
status, answered = operator("POST", f"/compliance-inquiry-reviews/{ORG_ID}/{full['id']}/queries/1/answer", {"response": "Yes: backups are encrypted with AES-256 under KMS keys."})
check("the operator answers query 1 through the portal API", status == 200 and answered["query"]["reviewType"] == "HUMAN", answered)
status, answered = operator("POST", f"/compliance-inquiry-reviews/{ORG_ID}/{full['id']}/queries/1/answer", {"response": "Yes: backups are encrypted with AES-256-GCM under KMS keys, rotated yearly."})
status, found = portal("GET", "/reports?q=SOC%202%20Type%20II&limit=1")
status, answered2 = operator("POST", f"/compliance-inquiry-reviews/{ORG_ID}/{full['id']}/queries/2/answer", {"response": "Yes, see the SOC 2 Type II report.", "reportIds": [found["items"][0]["id"]]})
check("an operator answer may cite published reports", status == 200 and answered2["query"]["citations"][0]["reportId"] == found["items"][0]["id"], answered2)
next_second()
reviewed = artifact.list_compliance_inquiry_queries(complianceInquiryId=full["id"])["queries"]
check("a human answer: reviewType HUMAN, each version in updatedResponseVersions (oldest first)", reviewed[0]["reviewType"] == "HUMAN" and [v["responseText"][:12] for v in reviewed[0]["updatedResponseVersions"]] == ["Yes: backups", "Yes: backups"] and reviewed[0]["response"].endswith("rotated yearly.") and hasattr(reviewed[0]["updatedResponseVersions"][0]["timestamp"], "year"), reviewed[0])
check("every query answered -> the inquiry is COMPLETED", artifact.get_compliance_inquiry_metadata(complianceInquiryId=full["id"])["complianceInquiryDetail"]["status"] == "COMPLETED")
code, status = error_code(lambda: artifact.put_compliance_inquiry_feedback(complianceInquiryId=full["id"], queryIdentifier=1, rating="THUMBS_UP", responseRevisionId=1))
check("feedback on the first answer after a second one -> ConflictException (stale revision)", code == "ConflictException" and status == 409, code)
check("feedback on the current revision (2) is taken", hasattr(artifact.put_compliance_inquiry_feedback(complianceInquiryId=full["id"], queryIdentifier=1, rating="THUMBS_UP", responseRevisionId=2)["submittedAt"], "year"))
status, refused = portal("POST", f"/compliance-inquiry-reviews/{ORG_ID}/{full['id']}/queries/1/answer", {"response": "I am not the operator."})
check("a customer cannot answer human review (403)", status == 403, refused)

code, status = error_code(lambda: artifact.create_compliance_inquiry(name="x", inquiryContent={"query": "SOC 2?"}, supportMode="FULL_SUPPORT"))
check("FULL_SUPPORT with a text query -> ValidationException (file uploads only, per the model)", code == "ValidationException" and status == 400, code)
try:
    artifact.create_compliance_inquiry(name="spreadsheet", inquiryContent={"fileContent": {"content": b"PK\x03\x04 not really a spreadsheet"}})
    check("an unsupported file is refused", False)
except ClientError as error:
    check("an unsupported file -> ValidationException naming the supported types", error.response["Error"]["Code"] == "ValidationException" and "CSV" in error.response["Error"]["Message"] and "plain text" in error.response["Error"]["Message"], error.response["Error"])
code, status = error_code(lambda: artifact.create_compliance_inquiry(name="many", inquiryContent={"fileContent": {"content": "\n".join(f"Question {i}?" for i in range(201)).encode()}}))
check("more than 200 questions -> ValidationException", code == "ValidationException", code)
code, status = error_code(lambda: artifact.create_compliance_inquiry(name="x", inquiryContent={"query": "<script>SOC 2</script>"}))
check("a query outside the model's pattern -> ValidationException", code == "ValidationException", code)

exported = artifact.export_compliance_inquiry(complianceInquiryId=file_inquiry["id"], queryIdentifiers=[1, 2], includeCitations=True)
document = fetch(exported["documentPresignedUrl"])
check("ExportComplianceInquiry: a PDF behind the presigned URL", document.startswith(b"%PDF") and len(document) > 1000, document[:8])
check("ExportComplianceInquiry answers the tags", artifact.export_compliance_inquiry(complianceInquiryId=text_inquiry["id"])["tags"] == {"team": "security"})
code, status = error_code(lambda: artifact.get_compliance_inquiry_metadata(complianceInquiryId="compliance-inquiry-0000000000000000"))
check("unknown inquiry -> ResourceNotFoundException", code == "ResourceNotFoundException" and status == 404, code)
code, status = error_code(lambda: artifact.list_compliance_inquiry_queries(complianceInquiryId="compliance-inquiry-0000000000000000"))
check("ListComplianceInquiryQueries of an unknown inquiry -> ResourceNotFoundException", code == "ResourceNotFoundException", code)
code, status = error_code(lambda: artifact.get_compliance_inquiry_metadata(complianceInquiryId="inquiry-1"))
check("an id outside the model's pattern -> ValidationException", code == "ValidationException" and status == 400, code)
status, entries = portal("GET", "/ledger?limit=100")
actions = [e["action"] for e in entries["items"]]
check("the ledger records creates, feedback, answers and exports", {"inquiry:Created", "inquiry:FeedbackSubmitted", "inquiry:Answered", "inquiry:Exported"} <= set(actions), actions[:30])

status, deny = portal("POST", "/org/policies", {"name": "DenyArtifactInquiries", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "artifact:CreateComplianceInquiry", "Resource": "*"}]}})
status, _ = portal("POST", "/org/attachments", {"targetType": "user", "targetId": me_user_id, "policy": deny["policyId"]})
code, status = error_code(lambda: artifact.create_compliance_inquiry(name="denied", inquiryContent={"query": "SOC 2?"}))
check("Deny artifact:CreateComplianceInquiry -> AccessDeniedException", code == "AccessDeniedException" and status == 403, code)
status, _ = portal("DELETE", f"/org/attachments/user/{me_user_id}/{deny['policyId']}")
check("detached", status == 204, status)

served = {"ListReports", "ListReportVersions", "GetReportMetadata", "GetTermForReport", "GetReport", "ListCustomerAgreements", "GetAccountSettings", "PutAccountSettings", "ListTagsForResource", "TagResource", "UntagResource", "CreateComplianceInquiry", "GetComplianceInquiryMetadata", "ListComplianceInquiries", "ListComplianceInquiryQueries", "PutComplianceInquiryFeedback", "ExportComplianceInquiry"}
check("every served operation is in the installed model", served <= model_ops, served - model_ops)
print(json.dumps({"served": sorted(served & model_ops), "not_served": sorted(model_ops - served)}), flush=True)
print(json.dumps({"done": True}), flush=True)
