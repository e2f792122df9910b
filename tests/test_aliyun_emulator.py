"""The emulator is only worth its name if it verifies signatures like the service does:
requests signed by the SDK's own signer pass, anything altered is rejected with the
documented error shape."""

from __future__ import annotations

import json
import time

import oss2
import pytest
import requests
from alibabacloud_tea_openapi.utils import Utils
from darabonba.request import DaraRequest

from emulator.helpers import AK_ID, AK_SECRET, STS_ID, STS_SECRET, STS_TOKEN

FORM = "Service=ai_art_detection&ServiceParameters=%7B%22content%22%3A%22hi%22%7D"

pytest_plugins = ("emulator.fixtures",)


def _acs3(address: str, *, key_id: str = AK_ID, secret: str = AK_SECRET, token: str | None = None,
          body: str = FORM, date: str | None = None, nonce: str | None = None) -> dict[str, str]:
    """Headers of a TextModerationPlus call signed with the SDK's own ACS3 signer."""
    req = DaraRequest()
    req.method, req.pathname, req.query = "POST", "/", {}
    payload = Utils.hash(body.encode(), "ACS3-HMAC-SHA256").hex()
    req.headers = {"host": address, "x-acs-version": "2022-03-02", "x-acs-action": "TextModerationPlus",
                   "x-acs-date": date or Utils.get_timestamp(), "x-acs-signature-nonce": nonce or Utils.get_nonce(),
                   "accept": "application/json", "content-type": "application/x-www-form-urlencoded",
                   "x-acs-content-sha256": payload}
    if token:
        req.headers.update({"x-acs-accesskey-id": key_id, "x-acs-security-token": token})
    req.headers["Authorization"] = Utils.get_authorization(req, "ACS3-HMAC-SHA256", payload, key_id, secret)
    return req.headers


def _post(address: str, headers: dict[str, str], body: str = FORM, query: dict[str, str] | None = None):
    return requests.post(f"http://{address}/", data=body.encode(), headers=headers, params=query, timeout=5)


def test_acs3_signed_by_the_sdk_is_accepted(green):
    response = _post(green.address, _acs3(green.address))
    assert response.status_code == 200
    assert response.json()["Code"] == 200
    assert green.calls[-1].signature == "ACS3-HMAC-SHA256"


def test_acs3_with_sts_token_is_accepted_and_a_wrong_token_is_not(green):
    assert _post(green.address, _acs3(green.address, key_id=STS_ID, secret=STS_SECRET,
                                      token=STS_TOKEN)).status_code == 200
    bad = _post(green.address, _acs3(green.address, key_id=STS_ID, secret=STS_SECRET, token="CAISother"))
    assert bad.status_code == 400
    assert bad.json()["Code"] == "InvalidSecurityToken.MismatchWithAccessKey"


@pytest.mark.parametrize("tamper, code, status", [
    ("body", "InvalidPayloadHash", 400),
    ("header", "SignatureDoesNotMatch", 400),
    ("secret", "SignatureDoesNotMatch", 400),
    ("unsigned_acs_header", "IncompleteSignature", 400),
    ("unknown_key", "InvalidAccessKeyId.NotFound", 404),
    ("old_date", "InvalidTimeStamp.Expired", 400),
])
def test_acs3_rejections_have_the_documented_shape(green, tamper, code, status):
    body = FORM
    kwargs = {}
    if tamper == "secret":
        kwargs["secret"] = "not-the-secret"
    if tamper == "unknown_key":
        kwargs["key_id"] = "LTAIunknown"
    if tamper == "old_date":
        kwargs["date"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
    headers = _acs3(green.address, **kwargs)
    if tamper == "body":
        body = FORM.replace("hi", "ho")
    if tamper == "header":
        headers["x-acs-action"] = "ImageModeration"
    if tamper == "unsigned_acs_header":
        headers["x-acs-extra"] = "1"
    response = _post(green.address, headers, body)
    assert response.status_code == status
    payload = response.json()
    assert payload["Code"] == code
    assert set(payload) >= {"RequestId", "HostId", "Code", "Message", "Recommend"}
    assert response.headers["x-acs-request-id"] == payload["RequestId"]
    assert not green.calls  # nothing rejected reaches an operation


def test_a_replayed_nonce_is_rejected(green):
    headers = _acs3(green.address, nonce="fixed-nonce-1")
    assert _post(green.address, headers).status_code == 200
    again = _post(green.address, headers)
    assert again.status_code == 400 and again.json()["Code"] == "SignatureNonceUsed"


def _rpc_query(secret: str = AK_SECRET, **extra: str) -> dict[str, str]:
    query = {"Action": "TextModerationPlus", "Format": "json", "Version": "2022-03-02",
             "Timestamp": Utils.get_timestamp(), "SignatureNonce": Utils.get_nonce(),
             "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "AccessKeyId": AK_ID, **extra}
    form = {"Service": "ai_art_detection", "ServiceParameters": json.dumps({"content": "hi"}, separators=(",", ":"))}
    query["Signature"] = Utils.get_rpcsignature({**query, **form}, "POST", secret)
    return query


def test_rpc_hmac_sha1_signed_by_the_sdk_is_accepted_and_checked(green):
    headers = {"content-type": "application/x-www-form-urlencoded", "host": green.address}
    ok = _post(green.address, headers, FORM, _rpc_query())
    assert ok.status_code == 200 and green.calls[-1].signature == "HMAC-SHA1"
    bad = _post(green.address, headers, FORM, _rpc_query(secret="wrong"))
    assert bad.status_code == 400
    assert bad.json()["Code"] == "SignatureDoesNotMatch"
    assert "server string to sign is:POST&%2F&" in bad.json()["Message"]
    altered = _post(green.address, headers, FORM.replace("hi", "ho"), _rpc_query())
    assert altered.json()["Code"] == "SignatureDoesNotMatch"


@pytest.mark.parametrize("version", [oss2.AUTH_VERSION_1, oss2.AUTH_VERSION_4])
def test_oss_checks_both_oss2_signatures(green, version):
    key_id, secret, token = green.oss.issue_token()
    good = oss2.Bucket(oss2.StsAuth(key_id, secret, token, auth_version=version),
                       f"http://{green.oss.address}", green.oss.bucket, region=green.region)
    result = good.put_object("upload/a.png", b"\x89PNG data")
    assert result.status == 200
    assert green.oss.objects[(green.oss.bucket, "upload/a.png")] == b"\x89PNG data"
    assert green.oss.signatures == [version]
    forged = oss2.Bucket(oss2.StsAuth(key_id, "not-the-secret", token, auth_version=version),
                         f"http://{green.oss.address}", green.oss.bucket, region=green.region)
    with pytest.raises(oss2.exceptions.OssError) as err:
        forged.put_object("upload/b.png", b"x")
    assert err.value.status == 403 and err.value.code == "SignatureDoesNotMatch"
    assert (green.oss.bucket, "upload/b.png") not in green.oss.objects


def test_oss_rejects_a_wrong_region_in_the_v4_scope(green):
    key_id, secret, token = green.oss.issue_token()
    bucket = oss2.Bucket(oss2.StsAuth(key_id, secret, token, auth_version=oss2.AUTH_VERSION_4),
                         f"http://{green.oss.address}", green.oss.bucket, region="cn-beijing")
    with pytest.raises(oss2.exceptions.OssError) as err:
        bucket.put_object("upload/c.png", b"x")
    assert err.value.code == "SignatureDoesNotMatch"
