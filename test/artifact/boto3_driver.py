"""The boto3 driver of test/artifact/boto3-artifact.test.ts: a client nobody here wrote, against the portal.

Runs every Artifact operation of the installed botocore model the portal serves, in one process, against one
server seeded with the demo data, and asserts on boto3's parsed responses and raised error codes. Prints one
JSON line per check; exits non-zero (with the failing check) on the first failure.

Environment: ARTIFACT_ENDPOINT (…/artifact), PORTAL_API (…/api), ADMIN_TOKEN (a bearer token of the demo
admin, MFA passed), AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (a key the test created for the admin).
"""

import json
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
def signed_get(path):
    request = AWSRequest(method="GET", url=ENDPOINT + path)
    SigV4Auth(Credentials(KEY, SECRET), "artifact", REGION).add_auth(request)
    prepared = request.prepare()
    try:
        with urllib.request.urlopen(urllib.request.Request(prepared.url, headers=dict(prepared.headers.items()))) as response:
            return response.status, json.loads(response.read().decode()), None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "null"), error.headers["x-amzn-ErrorType"]

status, listed, _ = signed_get("/v1/agreement/list")
check("ListAgreements (signed by botocore's SigV4Auth)", status == 200 and len(listed["agreements"]) >= 2 and all(a["id"].startswith("agreement-") for a in listed["agreements"]), listed)
check("an agreement names its subjects", all(set(a["subjects"]) <= {"ACCOUNT", "ORGANIZATION"} for a in listed["agreements"]))
status, one, _ = signed_get(f"/v1/customer-agreement/get?customerAgreementId={agreements[0]['id']}")
check("GetCustomerAgreement", status == 200 and one["customerAgreement"]["id"] == agreements[0]["id"], one)
status, missing, error_type = signed_get("/v1/customer-agreement/get?customerAgreementId=customer-agreement-0000000000000000")
check("GetCustomerAgreement of an unknown id -> ResourceNotFoundException", status == 404 and error_type == "ResourceNotFoundException", error_type)
status, _, error_type = signed_get("/v1/no/such/operation")
check("an unknown operation -> UnknownOperationException", status == 404 and error_type == "UnknownOperationException", error_type)

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

served = {"ListReports", "ListReportVersions", "GetReportMetadata", "GetTermForReport", "GetReport", "ListCustomerAgreements"}
check("every served operation is in the installed model", served <= model_ops, served - model_ops)
print(json.dumps({"served": sorted(served & model_ops), "not_served": sorted(model_ops - served)}), flush=True)
print(json.dumps({"done": True}), flush=True)
