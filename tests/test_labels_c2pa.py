"""C2PA manifests signed with a locally generated CA, verified by c2pa-python's reader
(and the GB labels still readable, since signing runs after them)."""

from __future__ import annotations

import pytest

pytest.importorskip("c2pa", reason="c2pa-python is in requirements-test.txt")

from content_safety_guard.safety.config import parse_config
from content_safety_guard.safety.errors import ConfigError
from content_safety_guard.safety.labels.c2pa_manifest import SOURCE_TYPE
from content_safety_guard.safety.labels.read import inspect_file
from content_safety_guard.safety.settings.labels import C2paSettings
from content_safety_guard.safety.labels.write import save_labelled
from label_helpers import make_ca, settings
from PIL import Image


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    return make_ca(tmp_path_factory.mktemp("ca"))


@pytest.mark.parametrize("ext", ["png", "jpg", "webp"])
def test_sign_and_verify_with_a_local_ca(tmp_path, ca, ext):
    chain, key, anchors = ca
    path = tmp_path / f"signed.{ext}"
    record = save_labelled(Image.new("RGB", (200, 160), (30, 90, 160)), str(path),
                           settings(c2pa=C2paSettings(cert_chain=str(chain), private_key=str(key))))
    assert record["c2pa"] is True
    trusted = inspect_file(path, str(anchors))
    assert trusted["valid"], trusted["problems"]  # the GB labels survive signing
    assert trusted["aigc"] == record["implicit"]
    manifest = trusted["c2pa"]
    assert manifest["state"] == "Trusted" and manifest["problems"] == []
    assert manifest["actions"] == ["c2pa.created"] and manifest["digital_source_type"] == SOURCE_TYPE
    untrusted = inspect_file(path)["c2pa"]
    assert untrusted["state"] == "Valid" and "signingCredential.untrusted" in untrusted["problems"]


def test_a_byte_changed_after_signing_breaks_the_manifest(tmp_path, ca):
    chain, key, anchors = ca
    path = tmp_path / "signed.png"
    save_labelled(Image.new("RGB", (200, 160), (30, 90, 160)), str(path),
                  settings(c2pa=C2paSettings(cert_chain=str(chain), private_key=str(key))))
    data = bytearray(path.read_bytes())
    idat = data.index(b"IDAT")
    data[idat + 10] ^= 0xFF
    path.write_bytes(bytes(data))
    manifest = inspect_file(path, str(anchors))["c2pa"]
    assert manifest["valid"] is False and manifest["problems"]


def test_a_wrong_key_is_a_config_error_that_hides_the_key(tmp_path, ca):
    chain, _, _ = ca
    other = make_ca(tmp_path)[1]
    with pytest.raises(ConfigError, match="labels.c2pa: signing") as err:
        save_labelled(Image.new("RGB", (64, 64)), str(tmp_path / "x.png"),
                      settings(c2pa=C2paSettings(cert_chain=str(chain), private_key=str(other))))
    assert "PRIVATE KEY" not in str(err.value)


def test_config_section(tmp_path, ca):
    chain, key, anchors = ca
    cfg = parse_config({"labels": {"c2pa": {"cert_chain": "chain.pem", "private_key": "key.pem",
                                            "trust_anchors": "ca.pem"}}}, "cfg.yaml", chain.parent)
    assert cfg.labels.default.c2pa == C2paSettings(str(chain), str(key), trust_anchors=str(anchors))
    assert parse_config({}, "cfg.yaml").labels.default.c2pa is None  # off by default
