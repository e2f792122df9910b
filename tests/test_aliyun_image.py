"""Image checks: in-memory images go through DescribeUploadToken + an oss2 upload (token
cached until it expires, renewed when OSS says it expired), or through imageUrl when the
config publishes files; verdicts come back one per image."""

from __future__ import annotations

import functools
import http.server
import io
import json
import logging
import threading

import numpy as np
import pytest
from PIL import Image

from content_safety_guard.safety.errors import InputError, ProviderError
from content_safety_guard.safety.remote import redact
from content_safety_guard.safety.remote.aliyun import CLIENTS_KEPT
from content_safety_guard.nodes.common import remote_options
from content_safety_guard.safety import CHECKERS, Engine, Setup
from emulator.helpers import AK_SECRET, config_for

RED = np.zeros((48, 64, 3), np.uint8)
RED[..., 0] = 230
MAGENTA = np.zeros((40, 40, 3), np.uint8)
MAGENTA[..., 0] = MAGENTA[..., 2] = 240
GREY = np.full((32, 32, 3), 128, np.uint8)

pytest_plugins = ("emulator.fixtures",)


def image_checker(cfg, remote_content_safe_service=None):
    """The `aliyun` image checker as the engine builds it for an image node's widgets."""
    make, rest = CHECKERS.factory("image", "aliyun")
    options = remote_options("image", remote_content_safe_service)
    return make(Setup(cfg, cfg.policy("normal"), options), rest)


def run(cfg, images, **widgets):
    policy = cfg.policy("normal")
    return [policy.decide(f) for f in image_checker(cfg, **widgets).check_images(images)]


@pytest.mark.parametrize("oss_signature", ["v4", "v1"])
def test_upload_token_flow_and_verdicts_per_image(green, aliyun_env, oss_signature):
    verdicts = run(config_for(green, oss_signature=oss_signature), [RED, GREY, MAGENTA])
    assert [v.level for v in verdicts] == ["unsafe", "safe", "unsafe"]
    assert verdicts[0].categories == ("gore",) and verdicts[2].categories == ("sexual",)
    hit = verdicts[0].evidence[1]
    assert hit["label"] == "violent_bloody" and hit["confidence"] == 95.0 and hit["risk_level"] == "high"
    assert verdicts[0].provider == "aliyun:ImageModeration"
    assert green.actions == {"DescribeUploadToken": 1, "ImageModeration": 3}
    assert green.oss.signatures == [oss_signature] * 3
    calls = [c for c in green.calls if c.action == "ImageModeration"]
    for call in calls:
        params = json.loads(call.params["ServiceParameters"])
        assert params["ossBucketName"] == green.oss.bucket
        assert params["ossObjectName"].startswith("upload/emulator/")
        stored = green.oss.objects[(params["ossBucketName"], params["ossObjectName"])]
        assert Image.open(io.BytesIO(stored)).format == "PNG"
    assert {v.evidence[0]["request_id"] for v in verdicts} == {c.request_id for c in calls}


def test_token_is_cached_until_it_expires(green, aliyun_env):
    cfg = config_for(green)
    run(cfg, [GREY])
    run(cfg, [RED])
    assert green.actions["DescribeUploadToken"] == 1
    green.token_ttl_s = 30  # shorter than the renewal margin: each check needs a new one
    cfg2 = config_for(green, image_format="jpeg")
    run(cfg2, [GREY])
    run(cfg2, [GREY])
    assert green.actions["DescribeUploadToken"] == 3


def test_renewed_tokens_stay_masked_while_in_use_and_are_then_forgotten(green, aliyun_env):
    """A server renewing its upload token for months must not scan every text for each
    expired one: the redactors keep the newest two generations per region."""
    green.token_ttl_s = 30  # shorter than the renewal margin: each check fetches a new token
    cfg = config_for(green)
    for _ in range(5):
        run(cfg, [GREY])
    issued = [(key_id, *secrets) for key_id, secrets in green.oss.tokens.items()]
    assert len(issued) == 5
    client = image_checker(cfg).client
    for redactor in (client.redact, redact.GLOBAL):
        for key_id, secret, token in issued[-redact.Redactor.GENERATIONS:]:
            assert redactor(f"{key_id} {secret} {token}") == "*** *** ***"
        for key_id, secret, token in issued[:-redact.Redactor.GENERATIONS]:
            assert redactor(f"{key_id} {secret} {token}") == f"{key_id} {secret} {token}"
        assert redactor(AK_SECRET) == "***"  # the lasting key is never forgotten


def test_clients_and_uploaders_are_shared_and_only_the_recent_ones_kept(green, aliyun_env):
    """Each config edit makes a new client; a server running for months keeps the recent ones."""
    configs = [config_for(green, read_timeout_s=2 + i) for i in range(CLIENTS_KEPT + 1)]
    first = image_checker(configs[0])
    second = image_checker(configs[0])
    assert second.client is first.client and second.uploader is first.uploader
    for cfg in configs[1:]:
        image_checker(cfg)
    again = image_checker(configs[0])
    assert again.client is not first.client and again.uploader is not first.uploader
    assert run(configs[0], [RED])[0].level == "unsafe"


def test_expired_token_at_oss_is_renewed_once(green, aliyun_env):
    cfg = config_for(green)
    run(cfg, [GREY])
    green.oss.expire_tokens()
    verdict = run(cfg, [RED])[0]
    assert verdict.level == "unsafe"
    assert green.oss.rejected == ["SecurityTokenExpired"]
    assert green.actions["DescribeUploadToken"] == 2


def test_a_token_that_keeps_failing_is_a_provider_error(green, aliyun_env, caplog):
    caplog.set_level(logging.DEBUG)
    green.oss.expire_tokens(also_new=True)
    with pytest.raises(ProviderError) as err:
        run(config_for(green), [RED])
    assert err.value.code == "SecurityTokenExpired" and err.value.request_id
    assert green.oss.rejected == ["SecurityTokenExpired"] * 2  # one renewal, then give up
    for _, token in green.oss.tokens.values():
        assert token not in str(err.value) and token not in caplog.text


def test_oss_signature_errors_keep_the_upload_token_out_of_logs(green, aliyun_env, caplog):
    caplog.set_level(logging.INFO)
    green.oss.corrupt_secrets = True  # OSS then answers SignatureDoesNotMatch with StringToSign
    with pytest.raises(ProviderError) as err:
        run(config_for(green, oss_signature="v1"), [RED])
    assert err.value.code == "SignatureDoesNotMatch"
    oss_lines = [r.getMessage() for r in caplog.records if r.name.startswith("oss2")]
    assert any("StringToSign" in line and "***" in line for line in oss_lines)
    for _, token in green.oss.tokens.values():
        assert token not in caplog.text and token not in str(err.value)


def test_a_token_naming_an_unusable_bucket_is_a_provider_error(green, aliyun_env):
    green.oss.bucket = "Not_A_Bucket!"  # oss2 refuses the name before any request
    with pytest.raises(ProviderError) as err:
        run(config_for(green), [RED])
    assert err.value.code == "MalformedResponse" and "bucket_name is invalid" in err.value.reason
    assert green.oss.puts == 0 and "ImageModeration" not in green.actions


def test_retry_after_throttling_does_not_upload_again(green, aliyun_env):
    green.inject("code_588", action="ImageModeration")
    assert run(config_for(green), [RED])[0].level == "unsafe"
    assert green.oss.puts == 1 and green.actions["ImageModeration"] == 2


def test_image_url_when_files_are_published(green, aliyun_env, tmp_path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/public"
        cfg = config_for(green, public_dir=str(tmp_path / "public"), public_url_base=base)
        verdicts = run(cfg, [MAGENTA, GREY], remote_content_safe_service="aigcCheck")
    finally:
        server.shutdown()
        server.server_close()
    assert [v.level for v in verdicts] == ["unsafe", "safe"]
    assert "DescribeUploadToken" not in green.actions and green.oss.puts == 0
    urls = [json.loads(c.params["ServiceParameters"])["imageUrl"] for c in green.calls]
    assert all(u.startswith(base + "/") and u.endswith(".png") for u in urls)
    assert green.calls[0].params["Service"] == "aigcCheck"
    assert len(list((tmp_path / "public").glob("*.png"))) == 2


def test_bad_images_are_input_errors(green, aliyun_env):
    cfg = config_for(green)
    with pytest.raises(InputError, match="HxWx3 uint8"):  # the engine checks before any checker
        Engine(cfg.policy("normal"), cfg, mode="remote").check_images([np.zeros((8, 8), np.float32)])
    assert green.server.requests == 0


def test_unknown_service_is_named(green, aliyun_env):
    with pytest.raises(InputError, match="unknown service 'nope'"):
        run(config_for(green), [GREY], remote_content_safe_service="nope")


def test_image_faults_fail_with_the_service_code(green, aliyun_env):
    green.inject("code_408", action="ImageModeration")
    with pytest.raises(ProviderError) as err:
        run(config_for(green), [GREY])
    assert err.value.code == "408" and err.value.provider == "aliyun:ImageModeration"


def test_engine_remote_mode_checks_a_batch_with_the_node_options(green, aliyun_env):
    cfg = config_for(green)
    engine = Engine(cfg.policy("normal"), cfg, mode="remote",
                    options=remote_options("image", "postImageCheck", 92.0))
    verdicts = engine.check_images([RED, MAGENTA])
    assert [v.level for v in verdicts] == ["unsafe", "safe"]  # 91 does not exceed 92
    assert {c.params["Service"] for c in green.calls if c.action == "ImageModeration"} == {"postImageCheck"}
