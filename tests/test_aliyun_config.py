"""The `aliyun` config section and the credentials file: errors name the file and key,
never a credential."""

from __future__ import annotations

import pytest

from content_safety_guard.safety.config import Config, load_config, parse_config
from content_safety_guard.safety.errors import ConfigError
from content_safety_guard.safety.remote.credentials import load_credentials

SECRET = "s3cr3t-do-not-print"


def parse(**aliyun):
    return parse_config({"aliyun": aliyun}, "cfg.yaml").aliyun


def test_defaults_derive_public_vpc_and_international_endpoints():
    assert Config().aliyun.primary == ("cn-shanghai", "green-cip.cn-shanghai.aliyuncs.com")
    assert parse(region="cn-beijing", network="vpc").primary == \
        ("cn-beijing", "green-cip-vpc.cn-beijing.aliyuncs.com")
    assert parse(region="ap-southeast-1").primary[1] == "green-cip.ap-southeast-1.aliyuncs.com"
    both = parse(endpoint="127.0.0.1:9000", protocol="http", fallback_region="cn-beijing")
    assert both.primary == ("cn-shanghai", "127.0.0.1:9000")
    assert both.fallback == ("cn-beijing", "green-cip.cn-beijing.aliyuncs.com")
    assert parse().fallback is None


@pytest.mark.parametrize("section, where", [
    ({"protocol": "ftp"}, "aliyun.protocol"),
    ({"region": "Shanghai"}, "aliyun.region"),
    ({"endpoint": "https://green.example.com/"}, "aliyun.endpoint"),
    ({"read_timeout_s": 0}, "aliyun.read_timeout_s"),
    ({"retries": 99}, "aliyun.retries"),
    ({"image_service": "nope"}, "aliyun.image_service"),
    ({"public_dir": "out"}, "aliyun.public_url_base"),  # the missing partner
    ({"regoin": "cn-beijing"}, "aliyun.regoin"),
])
def test_bad_settings_name_file_and_key(section, where):
    with pytest.raises(ConfigError, match=f"cfg.yaml: {where}"):
        parse_config({"aliyun": section}, "cfg.yaml")


def test_public_dir_is_resolved_next_to_the_config_file(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("aliyun:\n  public_dir: out\n  public_url_base: https://cdn.example.com/x\n")
    settings = load_config(path).aliyun
    assert settings.public_dir == str(tmp_path / "out")
    assert settings.public_url_base == "https://cdn.example.com/x/"


@pytest.fixture
def no_env(monkeypatch):
    for name in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                 "ALIBABA_CLOUD_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def test_environment_wins_over_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
    monkeypatch.setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "tok-env")
    creds = load_credentials(str(tmp_path / "missing.yaml"), "cfg.yaml")
    assert (creds.access_key_id, creds.security_token, creds.source) == ("LTAIenv", "tok-env", "environment")
    assert SECRET not in repr(creds)


def test_environment_values_are_stripped(monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv\n")  # as mounted from a file
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", f" {SECRET}\n")
    monkeypatch.setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "tok-env\n")
    assert load_credentials(None, "cfg.yaml").secrets() == ("LTAIenv", SECRET, "tok-env")


def test_half_set_environment_names_the_missing_variable(monkeypatch, no_env):
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv")
    with pytest.raises(ConfigError, match="ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set"):
        load_credentials(None, "cfg.yaml")


def test_no_credentials_says_where_to_put_them(no_env):
    with pytest.raises(ConfigError, match="credentials_file .* in cfg.yaml"):
        load_credentials(None, "cfg.yaml")


@pytest.mark.parametrize("body, problem", [
    (f"aliyun:\n  access_key_id: LTAI1\n  access_key_secret: {SECRET}\n  sekret: 1\n", "aliyun.sekret: unknown key"),
    ("aliyun:\n  access_key_id: LTAI1\n", "aliyun.access_key_secret: missing"),
    (f"aliyun:\n  access_key_id: 12345\n  access_key_secret: {SECRET}\n",
     "aliyun.access_key_id: expected a non-empty string"),
    (f"aliyun: [{SECRET}\n", "invalid YAML"),
    (f"dashscope:\n  api_key: {SECRET}\n", "no 'aliyun' mapping"),
])
def test_credentials_file_errors_never_echo_values(tmp_path, no_env, body, problem):
    path = tmp_path / "creds.yaml"
    path.write_text(body)
    with pytest.raises(ConfigError) as err:
        load_credentials(str(path), "cfg.yaml")
    assert str(path) in str(err.value) and problem in str(err.value)
    assert SECRET not in str(err.value)


def test_json_credentials_file(tmp_path, no_env):
    path = tmp_path / "creds.json"
    path.write_text('{"aliyun": {"access_key_id": "LTAIj", "access_key_secret": "sj", "security_token": "tj"}}')
    creds = load_credentials(str(path), "cfg.yaml")
    assert creds.secrets() == ("LTAIj", "sj", "tj") and creds.source == str(path)


def test_policy_options_for_remote(tmp_path):
    cfg = parse_config({"policies": {"p": {"auto_remote": "always", "remote_fallback_local": True}}}, "cfg.yaml")
    assert cfg.policy("p").auto_remote == "always" and cfg.policy("p").remote_fallback_local
    assert cfg.policy("normal").auto_remote == "open" and not cfg.policy("normal").remote_fallback_local
    with pytest.raises(ConfigError, match="policies.p.auto_remote"):
        parse_config({"policies": {"p": {"auto_remote": "sometimes"}}}, "cfg.yaml")
