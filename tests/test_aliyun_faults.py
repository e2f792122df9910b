"""Every fault of the remote service becomes a ProviderError with the service's code and
request id; retries are bounded; a second region is tried; the policy decides between
failing closed, failing open and falling back to local checks; secrets never leak."""

from __future__ import annotations

import logging
from urllib.parse import quote

import pytest

from content_safety_guard.safety import Engine, ProviderError
from content_safety_guard.safety.remote.aliyun import GreenClient
from emulator.helpers import AK_ID, AK_SECRET, STS_ID, STS_SECRET, STS_TOKEN, local_rule, config_for
from emulator.server import Blackhole, free_port_address

pytest_plugins = ("emulator.fixtures",)


def check(cfg, text="hello world", policy="normal", mode="remote"):
    return Engine(cfg.policy(policy), cfg, mode=mode).check_text(text)


def failure(cfg, text="hello world") -> ProviderError:
    with pytest.raises(ProviderError) as err:
        check(cfg, text)
    return err.value


@pytest.mark.parametrize("fault", ["http_throttle", "http_429", "code_588", "code_500", "code_581",
                                   "http_500", "http_503"])
def test_throttling_and_transient_faults_are_retried_then_succeed(green, aliyun_env, fault):
    green.inject(fault, times=2)
    verdict = check(config_for(green), "badword-porn")
    assert verdict.categories == ("sexual",)
    assert [c.fault for c in green.calls] == [fault, fault, None]


def test_retries_are_bounded(green, aliyun_env):
    green.inject("code_588", times=10)
    err = failure(config_for(green, retries=3))
    assert len(green.calls) == 4
    assert err.code == "588" and err.request_id == green.calls[-1].request_id
    assert "over quota" in err.reason and err.provider == "aliyun:TextModerationPlus"


class FakeClock:
    """Time that passes only while the client sleeps between retries: a busy machine
    cannot stretch it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_retries_stop_at_the_policy_deadline(green, aliyun_env, monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(GreenClient, "clock", staticmethod(clock))
    monkeypatch.setattr(GreenClient, "sleep", staticmethod(clock.sleep))
    green.inject("code_500", times=50)
    cfg = config_for(green, {"policies": {"quick": {"timeout_s": 0.3}}}, retries=10,
                     backoff_initial_s=0.1, backoff_max_s=0.1)
    with pytest.raises(ProviderError):
        check(cfg, policy="quick")
    # tries at 0, 0.1 and 0.2 s; a fourth would start at the 0.3 s deadline
    assert len(green.calls) == 3 and clock.now == pytest.approx(0.2)


@pytest.mark.parametrize("fault, code", [("code_400", "400"), ("code_408", "408"),
                                         ("http_403", "Forbidden.RAM")])
def test_client_faults_are_not_retried(green, aliyun_env, fault, code):
    green.inject(fault, times=3)
    err = failure(config_for(green))
    assert err.code == code and len(green.calls) == 1
    assert err.request_id == green.calls[0].request_id


@pytest.mark.parametrize("fault, code", [("malformed", "MalformedResponse"), ("drop", "ConnectionError")])
def test_malformed_json_and_dropped_connections(green, aliyun_env, fault, code):
    green.inject(fault)
    err = failure(config_for(green))
    assert err.code == code and len(green.calls) == 1


def test_read_timeout(green, aliyun_env):
    green.inject("read_timeout", delay_s=1.0)
    err = failure(config_for(green, read_timeout_s=0.2))
    assert err.code == "ReadTimeout"  # the server would have answered after 1 s: the timeout fired


def test_connect_timeout(aliyun_env, green):
    hole = Blackhole()
    try:
        err = failure(config_for(green, endpoint=hole.address, connect_timeout_s=0.2))
        assert err.code == "ConnectTimeout"  # the blackhole never accepts: only the timeout ends it
    finally:
        hole.close()


def test_connection_refused(aliyun_env, green):
    assert failure(config_for(green, endpoint=free_port_address())).code == "ConnectionError"


# --- second region -------------------------------------------------------------------

def _two_regions(green, green_b, **extra):
    return config_for(green, fallback_region=green_b.region, fallback_endpoint=green_b.address, **extra)


def test_failover_to_the_second_region(green, green_b, aliyun_env):
    green.inject("http_503", times=3)
    verdict = check(_two_regions(green, green_b), "badword-porn")
    assert verdict.categories == ("sexual",)
    assert len(green.calls) == 3 and len(green_b.calls) == 1
    assert verdict.evidence[0]["region"] == "cn-beijing"
    assert verdict.evidence[0]["request_id"] == green_b.calls[0].request_id


def test_failover_when_the_first_region_is_unreachable(green, green_b, aliyun_env):
    hole = Blackhole()
    try:
        cfg = config_for(green, endpoint=hole.address, connect_timeout_s=0.2,
                         fallback_region=green_b.region, fallback_endpoint=green_b.address)
        assert check(cfg).evidence[0]["region"] == "cn-beijing"
    finally:
        hole.close()


def test_no_failover_for_a_bad_request_and_both_failures_are_reported(green, green_b, aliyun_env):
    green.inject("code_400")
    err = failure(_two_regions(green, green_b))
    assert err.code == "400" and not green_b.calls
    green.inject("malformed")
    green_b.inject("code_581", times=3)
    err = failure(_two_regions(green, green_b))
    assert err.code == "581" and err.request_id == green_b.calls[-1].request_id
    assert "cn-shanghai: " in err.reason and "cn-beijing: " in err.reason


# --- what the policy makes of a failure ---------------------------------------------------

@pytest.fixture(autouse=True)
def _local_rule():
    with local_rule("test_local_faults"):
        yield


def _policies(green, **policy):
    return config_for(green, {"policies": {"p": {"text_checkers": ["test_local_faults"], **policy}}})


def test_fail_closed_by_default(green, aliyun_env):
    green.inject("code_500", times=5)
    with pytest.raises(ProviderError) as err:
        check(_policies(green), policy="p")
    assert err.value.code == "500" and len(green.calls) == 3  # the try and its two retries


def test_fail_open_records_the_failure(green, aliyun_env):
    green.inject("code_408")
    verdict = check(_policies(green, fail_open=True), policy="p")
    assert verdict.level == "safe"
    assert verdict.evidence[0]["fail_open"] is True and verdict.evidence[0]["code"] == "408"
    assert verdict.evidence[0]["request_id"] == green.calls[0].request_id


def test_remote_failure_falls_back_to_local_checks(green, aliyun_env):
    green.inject("code_408", times=2)
    cfg = _policies(green, remote_fallback_local=True)
    verdict = check(cfg, "localbad text", policy="p")
    assert verdict.level == "unsafe" and verdict.categories == ("violence",)
    assert verdict.evidence[0]["fallback"] == "local" and verdict.evidence[0]["code"] == "408"
    assert check(cfg, "fine text", policy="p").level == "safe"


def test_auto_mode_fallback_keeps_the_local_verdict(green, aliyun_env):
    green.inject("code_408")
    verdict = check(_policies(green, remote_fallback_local=True), "fine text", policy="p", mode="auto")
    assert verdict.level == "safe" and verdict.provider == "local:test+aliyun:TextModerationPlus"
    assert any(e.get("fallback") == "local" for e in verdict.evidence)


# --- secrets ------------------------------------------------------------------------------

def test_a_wrong_secret_never_appears_in_errors(green, monkeypatch):
    wrong = "wrong-secret-value-42"
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", STS_ID)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", wrong)
    monkeypatch.setenv("ALIBABA_CLOUD_SECURITY_TOKEN", STS_TOKEN)
    for signature in ("HMAC-SHA1", "ACS3-HMAC-SHA256"):
        err = failure(config_for(green, signature=signature))
        assert err.code == "SignatureDoesNotMatch"
        text = f"{err} {err.reason} {err.code} {err.request_id}"
        for secret in (wrong, STS_TOKEN, STS_ID):
            assert secret not in text
        if signature == "HMAC-SHA1":  # the service echoed its string to sign, token included
            assert "server string to sign is:POST&%2F&" in err.reason and "***" in err.reason


@pytest.mark.parametrize("signature", ["ACS3-HMAC-SHA256", "HMAC-SHA1"])
def test_secrets_never_reach_the_logs(green, monkeypatch, caplog, signature):
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", STS_ID)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", STS_SECRET)
    monkeypatch.setenv("ALIBABA_CLOUD_SECURITY_TOKEN", STS_TOKEN)
    monkeypatch.setenv("DEBUG", "sdk")  # darabonba then logs every request's headers
    caplog.set_level(logging.DEBUG)
    assert check(config_for(green, signature=signature)).level == "safe"
    if signature == "ACS3-HMAC-SHA256":  # the token travels in a header
        sdk_lines = [r.getMessage() for r in caplog.records if r.name == "darabonba-core"]
        assert any("x-acs-security-token : ***" in line for line in sdk_lines)
    else:  # the token travels in the query, which urllib3 logs with the request line
        pool_lines = [r.getMessage() for r in caplog.records if r.name == "urllib3.connectionpool"]
        assert any("SecurityToken=***" in line and "AccessKeyId=***" in line for line in pool_lines)
    for secret in (STS_TOKEN, STS_SECRET, STS_ID):
        assert secret not in caplog.text and quote(secret, safe="") not in caplog.text


def test_credentials_come_from_the_credentials_file(green, monkeypatch, tmp_path):
    for name in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                 "ALIBABA_CLOUD_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    creds = tmp_path / "creds.yaml"
    creds.write_text(f"aliyun:\n  access_key_id: {AK_ID}\n  access_key_secret: {AK_SECRET}\n")
    cfg = config_for(green, {"credentials_file": str(creds)})
    assert check(cfg, "badword-porn").categories == ("sexual",)
    assert green.calls[-1].access_key_id == AK_ID
