"""The implicit label (GB 45438-2025 Annex E) through PNG, JPEG and WebP, read back by the
pack and by exiftool; IDs, charset rules, the forms readers accept, propagation, bad input."""

from __future__ import annotations

import io
import json
import struct
import zlib

import pytest
from content_safety_guard.safety.config import parse_config
from content_safety_guard.safety.errors import ConfigError
from content_safety_guard.safety.labels import aigc
from content_safety_guard.safety.labels.read import inspect_bytes, inspect_file
from content_safety_guard.safety.labels.write import save_labelled
from content_safety_guard.safety.labels.xmp import NAMESPACE, labels_in, packet, quoteattr
from label_helpers import TC260, exiftool, settings
from PIL import Image
from PIL.PngImagePlugin import PngInfo

FORMATS = ["png", "jpg", "webp"]


def _photo() -> Image.Image:
    """Not flat: lossy codecs must really round the pixels for the integrity test to mean anything."""
    image = Image.linear_gradient("L").resize((320, 240)).convert("RGB")
    image.paste((200, 60, 30), (40, 40, 160, 120))
    return image


def _save(tmp_path, ext: str, **kwargs) -> tuple:
    path = tmp_path / f"out.{ext}"
    record = save_labelled(_photo(), str(path), kwargs.pop("labels", settings()), **kwargs)
    return path, record


@pytest.mark.parametrize("ext", FORMATS)
def test_round_trip_read_by_the_pack(tmp_path, ext):
    path, record = _save(tmp_path, ext)
    report = inspect_file(path)
    assert report["valid"], report["problems"]
    assert report["aigc"] == record["implicit"]
    assert report["label"] == "1" and report["meaning"] == "AI-generated"
    assert report["aigc"]["ContentProducer"] == "TESTPRODUCER01"
    assert report["integrity"] == {"ReservedCode1": "ok", "ReservedCode2": "absent"}
    assert report["carriers"] == {"png": ["png:tEXt", "png:xmp"], "jpg": ["jpeg:xmp"], "webp": ["webp:xmp"]}[ext]
    assert set(report["aigc"]) == set(aigc.FIELDS) and all(isinstance(v, str) for v in report["aigc"].values())


@pytest.mark.parametrize("ext", FORMATS)
def test_round_trip_read_by_exiftool(tmp_path, ext):
    path, record = _save(tmp_path, ext)
    tags = exiftool(path)
    assert json.loads(tags[TC260]) == {"AIGC": record["implicit"]}
    if ext == "png":
        assert json.loads(tags["PNG:AIGC"]) == {"AIGC": record["implicit"]}


def test_workflow_metadata_is_kept_beside_the_label(tmp_path):
    path, _ = _save(tmp_path, "png", text={"prompt": '{"1": {}}', "workflow": '{"nodes": []}'})
    tags = exiftool(path)
    assert tags["PNG:Prompt"] == '{"1": {}}' and tags["PNG:Workflow"] == '{"nodes": []}'
    assert inspect_file(path)["valid"]


def test_an_existing_label_chunk_in_the_text_is_replaced_not_doubled(tmp_path):
    path, _ = _save(tmp_path, "png", text={"AIGC": '{"Label":"1"}', "prompt": "{}"})
    report = inspect_file(path)
    assert report["valid"] and report["carriers"] == ["png:tEXt", "png:xmp"]


def test_produce_ids_are_unique_per_image(tmp_path):
    ids = set()
    for i in range(20):
        path = tmp_path / f"{i}.png"
        ids.add(save_labelled(Image.new("RGB", (64, 64)), str(path), settings())["implicit"]["ProduceID"])
    assert len(ids) == 20


def test_reserved_code_1_covers_the_pixels_and_the_fields(tmp_path):
    path, record = _save(tmp_path, "png")
    fields = record["implicit"]
    with Image.open(path) as image:
        digest = aigc.pixel_digest(image)
        changed = image.copy()
    assert aigc.producer_code(fields, digest) == fields["ReservedCode1"]
    assert aigc.producer_code({**fields, "ContentProducer": "OTHER"}, digest) != fields["ReservedCode1"]
    assert aigc.producer_code({**fields, "ProduceID": "x"}, digest) != fields["ReservedCode1"]
    changed.putpixel((0, 0), (1, 2, 3))
    assert aigc.producer_code(fields, aigc.pixel_digest(changed)) != fields["ReservedCode1"]
    # a pixel edited after labelling is reported
    info = PngInfo()
    info.add_text("AIGC", aigc.dumps(fields))
    edited = tmp_path / "edited.png"
    changed.save(edited, pnginfo=info)
    report = inspect_file(edited)
    assert report["integrity"]["ReservedCode1"] == "mismatch" and not report["valid"]


@pytest.mark.parametrize("value, problem", [
    ("中文", "characters outside printable ASCII"),
    ("has space", "characters outside printable ASCII"),
    ('quo"te', "characters outside printable ASCII"),
    ("back\\slash", "characters outside printable ASCII"),
    ("tab\there", "characters outside printable ASCII"),
])
def test_charset_rules_on_read(value, problem):
    fields = {"Label": "1", "ContentProducer": value, "ProduceID": "abc"}
    assert any(problem in p for p in aigc.validate(fields))


def test_charset_rules_accept_every_allowed_character():
    allowed = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"\\')
    assert aigc.validate({"Label": "1", "ContentProducer": allowed, "ProduceID": "x"}) == []
    assert any("must be a string" in p for p in aigc.validate({"Label": 1, "ContentProducer": "a", "ProduceID": "b"}))


@pytest.mark.parametrize("producer", ["ACME 01", "中文厂商", "", 'a"b', "a\\b"])
def test_a_non_ascii_or_spaced_producer_is_a_config_error_naming_the_key(producer):
    with pytest.raises(ConfigError, match=r"labels\.producer"):
        parse_config({"labels": {"producer": producer}}, "cfg.yaml")
    with pytest.raises(ConfigError, match=r"policies\.kids\.labels\.producer"):
        parse_config({"policies": {"kids": {"labels": {"producer": producer}}}}, "cfg.yaml")


def test_labels_per_policy_over_the_global_default_and_extends():
    cfg = parse_config({"labels": {"producer": "ACME01", "opacity": 0.5},
                        "policies": {"kids": {"extends": "strict", "labels": {"text": "AI-generated"}},
                                     "kids2": {"extends": "kids"}}}, "cfg.yaml")
    assert cfg.labels.for_policy("normal").producer == "ACME01"
    assert cfg.labels.for_policy("kids2").text == "AI-generated"
    assert cfg.labels.for_policy("kids2").opacity == 0.5
    with pytest.raises(ConfigError, match=r"labels\.position: must be one of"):
        parse_config({"labels": {"position": "middle"}}, "cfg.yaml")
    with pytest.raises(ConfigError, match=r"labels\.font: no such font file"):
        parse_config({"labels": {"font": "/nonexistent.ttf"}}, "cfg.yaml")


def _png_with(*chunks: tuple[str, str]) -> bytes:
    buffer = io.BytesIO()
    info = PngInfo()
    for key, value in chunks:
        if key == "XML:com.adobe.xmp":
            info.add_itxt(key, value)
        else:
            info.add_text(key, value)
    Image.new("RGB", (8, 8)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


GOOD = {"Label": "2", "ContentProducer": "P01", "ProduceID": "id1"}


def test_bare_and_wrapped_forms_and_the_namespace_without_slash():
    bare = inspect_bytes(_png_with(("AIGC", json.dumps(GOOD))))
    assert bare["aigc"] == GOOD and bare["label"] == "2" and bare["meaning"] == "possibly AI-generated"
    xmp = packet(json.dumps(GOOD)).decode().replace(NAMESPACE, NAMESPACE.rstrip("/"))
    report = inspect_bytes(_png_with(("XML:com.adobe.xmp", xmp)))
    assert report["aigc"] == GOOD and report["carriers"] == ["png:xmp"] and report["valid"]
    element = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
               '<rdf:Description xmlns:TC260="http://www.tc260.org.cn/ns/AIGC/1.0/"><TC260:AIGC>'
               + json.dumps({"AIGC": GOOD}).replace("&", "&amp;").replace("<", "&lt;")
               + "</TC260:AIGC></rdf:Description></rdf:RDF></x:xmpmeta>")
    assert inspect_bytes(_png_with(("XML:com.adobe.xmp", element)))["aigc"] == GOOD


def test_two_labels_are_a_problem():
    other = {**GOOD, "ProduceID": "id2"}
    report = inspect_bytes(_png_with(("AIGC", json.dumps(GOOD)), ("AIGC", json.dumps(other))))
    assert not report["valid"]
    assert "2 labels in png:tEXt (one label per file)" in report["problems"]
    assert any(p.startswith("two labels") for p in report["problems"])
    same = inspect_bytes(_png_with(("AIGC", json.dumps(GOOD)), ("XML:com.adobe.xmp", packet(json.dumps(GOOD)).decode())))
    assert same["valid"] and same["carriers"] == ["png:tEXt", "png:xmp"]


@pytest.mark.parametrize("value, problem", [
    ("not json", "label is not JSON"),
    ("[1, 2]", "label is not a JSON object"),
    ('{"AIGC": "x"}', "label is not a JSON object"),
    ('{"Label": "7", "ContentProducer": "P", "ProduceID": "i"}', "Label: must be 1, 2 or 3"),
    ('{"Label": "1", "ProduceID": "i"}', "ContentProducer: missing"),
    ('{"Label": "1", "ContentProducer": "P", "ProduceID": "i", "Extra": "x"}', "unknown field 'Extra'"),
    ('{"Label": 1, "ContentProducer": "P", "ProduceID": "i"}', "Label: must be a string"),
    ("[" * 100000, "label is not JSON"),
])
def test_malformed_labels_are_reported_never_raised(value, problem):
    report = inspect_bytes(_png_with(("AIGC", value)))
    assert not report["valid"] and any(problem in p for p in report["problems"]), report["problems"]


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@pytest.mark.parametrize("data", [
    b"", b"\x89PNG\r\n\x1a\n", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\xff\xfftEXt",
    b"\x89PNG\r\n\x1a\n" + _chunk(b"iTXt", b"AIGC\x00\x01\x00\x00\x00garbage"),
    b"\x89PNG\r\n\x1a\n" + _chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00<not xml"),
    b"\xff\xd8\xff\xe1\x00\x01", b"\xff\xd8\xff\xe1\xff\xffhttp://ns.adobe.com/xap/1.0/\x00<x",
    b"RIFF\x10\x00\x00\x00WEBPXMP \xff\xff\xff\x7f<", b"GIF89a" + b"\x00" * 20,
])
def test_broken_files_never_crash_the_reader(data):
    report = inspect_bytes(data)
    assert report["aigc"] is None and report["valid"] is False


def test_truncated_labelled_files_are_reported(tmp_path):
    path, _ = _save(tmp_path, "png")
    data = path.read_bytes()
    report = inspect_bytes(data[: len(data) // 2])
    assert not report["valid"] and report["problems"]


@pytest.mark.parametrize("ext", FORMATS)
def test_propagation_keeps_the_producer_fields_and_adds_this_service(tmp_path, ext):
    first, record = _save(tmp_path, ext, labels=settings(producer="UPSTREAM01"))
    with Image.open(first) as image:
        again = image.convert("RGB")
    second = tmp_path / f"again.{ext}"
    incoming = inspect_file(first)["aigc"]
    out = save_labelled(again, str(second), settings(propagator="SVC02"), incoming=incoming)
    report = inspect_file(second)
    fields = report["aigc"]
    produced = record["implicit"]
    assert out["propagated"] and report["valid"], report["problems"]
    for key in ("Label", "ContentProducer", "ProduceID", "ReservedCode1"):
        assert fields[key] == produced[key]
    assert fields["ContentPropagator"] == "SVC02" and len(fields["PropagateID"]) == 32
    assert report["integrity"]["ReservedCode2"] == "ok"
    assert json.loads(exiftool(second)[TC260])["AIGC"]["ContentPropagator"] == "SVC02"


def test_propagator_defaults_to_the_producer_code(tmp_path):
    first, _ = _save(tmp_path, "png", labels=settings(producer="UPSTREAM01"))
    out = save_labelled(_photo(), str(tmp_path / "b.png"), settings(), incoming=inspect_file(first)["aigc"])
    assert out["implicit"]["ContentPropagator"] == "TESTPRODUCER01"


def test_implicit_off_writes_no_label_and_explicit_off_is_recorded(tmp_path):
    path, record = _save(tmp_path, "png", labels=settings(implicit=False, explicit=False))
    assert record["implicit"] is None and record["explicit"] == "off" and record["carriers"] == []
    assert inspect_file(path)["aigc"] is None


def test_sidecar_holds_file_time_user_prompt_and_models(tmp_path):
    from content_safety_guard.safety.labels.sidecar import Provenance

    provenance = Provenance(user="alice", prompt="a cat", models=("sd15.safetensors",))
    path, record = _save(tmp_path, "png", labels=settings(sidecar=True), provenance=provenance, now=0.0)
    side = json.loads((tmp_path / record["sidecar"]).read_text())
    assert side["file"] == "out.png" and side["time"] == "1970-01-01T00:00:00Z"
    assert side["user"] == "alice" and side["prompt"] == "a cat" and side["models"] == ["sd15.safetensors"]
    assert side["aigc"] == record["implicit"] and len(side["prompt_sha256"]) == 64
    path, record = _save(tmp_path, "png", labels=settings(sidecar="hash"), provenance=provenance)
    side = json.loads((tmp_path / record["sidecar"]).read_text())
    assert side["prompt"] is None and side["prompt_sha256"]


@pytest.mark.parametrize("value", ['', 'plain', '{"Label": "1"}', "it's", """both ' and " here""",
                                   'a&b <c> \n\r\t 中文', json.dumps(GOOD, ensure_ascii=False)])
def test_the_packets_attribute_quoting_is_xml_sax_s(value: str) -> None:
    """The pack avoids importing xml.sax (it pulls in urllib.request at load): packets stay
    byte for byte what quoteattr made, and read back."""
    from xml.sax.saxutils import quoteattr as sax_quoteattr

    assert quoteattr(value) == sax_quoteattr(value)
    assert labels_in(packet(value)) == [value]
