"""The pack inside a real ComfyUI: started once per session (the `comfy` fixture of
tests/conftest.py, see tests/comfyui_harness.py) as a subprocess on loopback, driven through its
HTTP API (/object_info, /prompt, /history, /i18n, /extensions) as an API client would.

Runs against COMFYUI_DIR, else ../shared/comfyui; skipped without a checkout, failed in CI.
"""

from __future__ import annotations

import io
import json
from typing import Any

import requests
from comfyui_harness import PACK_DIR, ROOT, Comfy, messages, queue
from content_safety_guard import NODE_CLASS_MAPPINGS, NODE_DISPLAY_NAME_MAPPINGS
from llm_servers import OllamaServer, brain, serving
from PIL import Image

UNSAFE = "hardcore porn, 色情"
SAFE = "a lighthouse on a cliff at dawn, watercolor"
# Frontend-only node types a saved workflow may hold (no Python class, not in /object_info).
FRONTEND_ONLY = {"Note", "MarkdownNote", "Reroute", "PrimitiveNode"}
WIDGET_TYPES = {"INT", "FLOAT", "STRING", "BOOLEAN", "COMBO"}


def text_check(text: str, on_unsafe: str, policy: str = "normal", **extra: Any) -> dict[str, Any]:
    return {"class_type": "ContentSafetyTextCheck",
            "inputs": {"text": text, "enable_safe_check": True, "check_mode": "local", "policy": policy,
                       "on_unsafe": on_unsafe, "replacement_text": "", **extra}}


def preview(node: str, slot: int) -> dict[str, Any]:
    """PreviewAny, a core output node that shows any value as text in /history."""
    return {"class_type": "PreviewAny", "inputs": {"source": [node, slot]}}


# --- the node list ------------------------------------------------------------------------


def test_every_pack_node_is_listed_with_its_display_name(comfy: Comfy) -> None:
    for name in NODE_CLASS_MAPPINGS:
        spec = comfy.object_info[name]
        assert spec["display_name"] == NODE_DISPLAY_NAME_MAPPINGS[name]
        assert spec["python_module"] == f"custom_nodes.{PACK_DIR}"
        assert spec["category"] == "content_safety"


def test_object_info_shows_tooltips_and_combo_lists(comfy: Comfy) -> None:
    spec = comfy.object_info["ContentSafetyTextCheck"]
    required = spec["input"]["required"]
    assert required["check_mode"][0] == ["local", "remote", "auto"]
    assert required["on_unsafe"][0] == ["raise", "substitute", "block"]
    assert required["on_unsafe"][1]["default"] == "raise"
    assert {"lax", "normal", "strict"} <= set(required["policy"][0])
    assert "classic:ai_art_detection" in spec["input"]["optional"]["remote_content_safe_service"][0]
    for name in NODE_CLASS_MAPPINGS:
        node = comfy.object_info[name]
        inputs = {**node["input"]["required"], **node["input"].get("optional", {})}
        untipped = [k for k, v in inputs.items() if not (len(v) > 1 and v[1].get("tooltip"))]
        assert not untipped, f"{name}: inputs without tooltip: {untipped}"
        assert len(node["output_tooltips"]) == len(node["output"]), name
        assert node["description"], name


# --- ContentSafetyTextCheck in each on_unsafe mode -------------------------------------------


def test_raise_fails_the_run_with_the_json_error_contract(comfy: Comfy) -> None:
    entry = queue(comfy, {"12": text_check(UNSAFE, "raise"), "13": preview("12", 0)})
    assert entry["status"]["status_str"] == "error"
    [error] = messages(entry, "execution_error")
    assert error["node_id"] == "12" and error["node_type"] == "ContentSafetyTextCheck"
    data = json.loads(error["exception_message"])
    assert data["code"] == "content_safe_check_failed"
    assert data["stage"] == "text" and data["node_id"] == "12" and data["level"] == "unsafe"
    assert "sexual" in data["categories"] and data["labels"].split(",") == data["categories"]
    assert "13" not in entry["outputs"]


def test_substitute_hands_the_replacement_text_downstream(comfy: Comfy) -> None:
    entry = queue(comfy, {"20": text_check(UNSAFE, "substitute", replacement_text="[withheld]"),
                          "21": preview("20", 0), "22": preview("20", 1)})
    assert entry["status"]["status_str"] == "success"
    assert entry["outputs"]["21"]["text"] == ["[withheld]"]
    assert entry["outputs"]["22"]["text"] == ["False"]
    [verdict] = entry["outputs"]["20"]["safety"]
    assert verdict["level"] == "unsafe" and "sexual" in verdict["categories"]
    assert {e.get("term") for e in verdict["evidence"]} >= {"porn", "色情"}


def test_block_stops_downstream_nodes_without_an_error(comfy: Comfy) -> None:
    entry = queue(comfy, {"30": text_check(UNSAFE, "block"), "31": preview("30", 0), "32": preview("30", 1)})
    assert entry["status"]["status_str"] == "success"
    assert not messages(entry, "execution_error")
    assert "31" not in entry["outputs"]  # the text output was blocked
    assert entry["outputs"]["32"]["text"] == ["False"]  # is_safe still flows, for branching
    assert entry["outputs"]["30"]["safety"][0]["level"] == "unsafe"


def test_safe_prompt_passes_through_unchanged(comfy: Comfy) -> None:
    entry = queue(comfy, {"40": text_check(SAFE, "raise"), "41": preview("40", 0), "42": preview("40", 2)})
    assert entry["status"]["status_str"] == "success"
    assert entry["outputs"]["41"]["text"] == [SAFE]
    assert json.loads(entry["outputs"]["42"]["text"][0])["level"] == "safe"
    assert entry["outputs"]["40"]["safety"][0]["is_safe"] is True


def test_bad_widget_value_is_refused_before_the_run(comfy: Comfy) -> None:
    prompt = {"50": text_check(SAFE, "explode"), "51": preview("50", 0)}
    r = requests.post(f"{comfy.url}/prompt", json={"prompt": prompt}, timeout=10)
    assert r.status_code == 400
    errors = r.json()["node_errors"]["50"]["errors"]
    assert any(e["extra_info"]["input_name"] == "on_unsafe" for e in errors)


# --- the config file in ComfyUI's user directory --------------------------------------------


def test_config_in_the_user_directory_applies_and_edits_take_effect(comfy: Comfy) -> None:
    """Policies come from <user dir>/content_safety/config.yaml; after an edit, the same
    prompt re-runs with the new policy instead of being served from ComfyUI's cache."""
    prompt = {"60": text_check(UNSAFE, "substitute", policy="kiosk"), "61": preview("60", 0)}
    comfy.config_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        comfy.config_file.write_text("policies:\n  kiosk:\n    replacement_text: '[kiosk]'\n", "utf-8")
        info = requests.get(f"{comfy.url}/object_info/ContentSafetyTextCheck", timeout=10).json()
        assert "kiosk" in info["ContentSafetyTextCheck"]["input"]["required"]["policy"][0]
        assert queue(comfy, prompt)["outputs"]["61"]["text"] == ["[kiosk]"]
        comfy.config_file.write_text("policies:\n  kiosk:\n    replacement_text: '[kiosk, edited]'\n", "utf-8")
        assert queue(comfy, prompt)["outputs"]["61"]["text"] == ["[kiosk, edited]"]
    finally:
        comfy.config_file.unlink(missing_ok=True)


def test_llm_judge_raises_the_contract_through_comfyui(comfy: Comfy) -> None:
    """The judge asks an Ollama-API server on loopback named in the user-dir config."""
    with serving(OllamaServer(brain)) as ollama:
        comfy.config_file.parent.mkdir(parents=True, exist_ok=True)
        comfy.config_file.write_text(f"llm:\n  local_url: '{ollama.url}'\n  max_retries: 0\n", "utf-8")
        try:
            judge = {"class_type": "ContentSafetyLLMJudge", "inputs": {
                "text": "I will hurt him badly tonight", "enable_safe_check": True, "llm_mode": "local",
                "policy": "normal", "on_unsafe": "raise", "model": "qwen2.5:3b", "remote_model": "qwen-plus",
                "judge_format": "auto", "temperature": 0.0, "seed": 0, "keep_alive": "5m", "timeout": 10.0,
                "local_system_prompt": "", "remote_system_prompt": "", "replacement_text": ""}}
            entry = queue(comfy, {"70": judge, "71": preview("70", 0)})
        finally:
            comfy.config_file.unlink(missing_ok=True)
        assert ollama.calls("/api/chat"), "the judge never asked the local server"
    [error] = messages(entry, "execution_error")
    data = json.loads(error["exception_message"])
    assert data["code"] == "content_safe_check_failed" and data["stage"] == "llm"
    assert data["node_id"] == "70" and "violence" in data["categories"]


# --- image nodes ------------------------------------------------------------------------------


def test_save_image_checks_writes_and_reports(comfy: Comfy) -> None:
    prompt = {"80": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 48, "batch_size": 2,
                                                           "color": 0x336699}},
              "81": {"class_type": "ContentSafetySaveImage", "inputs": {
                  "images": ["80", 0], "filename_prefix": "cs_it/save", "enable_safe_check": True,
                  "check_mode": "local", "policy": "normal", "on_unsafe": "raise"}}}
    entry = queue(comfy, prompt)
    assert entry["status"]["status_str"] == "success", messages(entry, "execution_error")
    out = entry["outputs"]["81"]
    assert [v["level"] for v in out["safety"]] == ["safe", "safe"]
    assert len(out["images"]) == 2
    for image in out["images"]:
        assert image["type"] == "output" and image["subfolder"] == "cs_it"
        with Image.open(comfy.base / "output" / "cs_it" / image["filename"]) as saved:
            assert saved.size == (64, 48)
            assert saved.getpixel((0, 0))[:3] == (0x33, 0x66, 0x99)


def test_uploaded_image_is_loaded_checked_and_passed_on(comfy: Comfy) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, "PNG")
    r = requests.post(f"{comfy.url}/upload/image", files={"image": ("cs_it.png", buf.getvalue(), "image/png")},
                      data={"overwrite": "true"}, timeout=10)
    assert r.status_code == 200, r.text
    widgets = {"enable_safe_check": True, "check_mode": "local", "policy": "normal"}
    prompt = {"90": {"class_type": "ContentSafetyLoadImage",
                     "inputs": {"image": r.json()["name"], "on_unsafe": "raise", **widgets}},
              "91": {"class_type": "ContentSafetyImageCheck",
                     "inputs": {"images": ["90", 0], "on_unsafe": "block", "stride": 1, **widgets}},
              "92": {"class_type": "PreviewImage", "inputs": {"images": ["91", 0]}}}
    entry = queue(comfy, prompt)
    assert entry["status"]["status_str"] == "success", messages(entry, "execution_error")
    assert entry["outputs"]["90"]["safety"][0]["level"] == "safe"
    assert entry["outputs"]["91"]["safety"][0]["level"] == "safe"
    [shown] = entry["outputs"]["92"]["images"]
    view = requests.get(f"{comfy.url}/view", params=shown, timeout=10)  # as the browser fetches it
    assert view.status_code == 200
    with Image.open(io.BytesIO(view.content)) as preview_png:
        assert preview_png.size == (40, 30)
        assert preview_png.getpixel((5, 5))[:3] == (200, 30, 30)


def load_image(name: str) -> dict[str, Any]:
    return {"class_type": "ContentSafetyLoadImage", "inputs": {
        "image": name, "enable_safe_check": True, "check_mode": "local", "policy": "normal", "on_unsafe": "raise"}}


def test_missing_upload_is_refused_before_the_run(comfy: Comfy) -> None:
    prompt = {"95": load_image("no_such_upload.png"), "96": preview("95", 2)}
    r = requests.post(f"{comfy.url}/prompt", json={"prompt": prompt}, timeout=10)
    assert r.status_code == 400
    [error] = r.json()["node_errors"]["95"]["errors"]
    assert error["extra_info"]["input_name"] == "image" and "no_such_upload.png" in error["details"]


def test_corrupt_upload_fails_closed_with_the_json_error(comfy: Comfy) -> None:
    r = requests.post(f"{comfy.url}/upload/image", data={"overwrite": "true"}, timeout=10,
                      files={"image": ("cs_broken.png", b"\x89PNG\r\n\x1a\n not really", "image/png")})
    assert r.status_code == 200, r.text
    entry = queue(comfy, {"97": load_image(r.json()["name"]), "98": preview("97", 2)})
    [error] = messages(entry, "execution_error")
    data = json.loads(error["exception_message"])
    assert data["code"] == "content_safe_check_error" and data["stage"] == "image_load"
    assert data["node_id"] == "97" and "cs_broken.png" in data["reason"]


# --- what the frontend gets --------------------------------------------------------------------


def test_locales_are_served_to_the_frontend(comfy: Comfy) -> None:
    served = requests.get(f"{comfy.url}/i18n", timeout=10).json()
    shipped = {p.parent.name: p for p in (ROOT / "locales").glob("*/nodeDefs.json")}
    ours = {lang for lang, files in served.items() if "ContentSafetyTextCheck" in files.get("nodeDefs", {})}
    assert ours == set(shipped)
    for lang, path in shipped.items():
        defs = json.loads(path.read_text("utf-8"))
        for node, strings in defs.items():
            assert served[lang]["nodeDefs"][node] == strings
        assert set(defs) == set(NODE_CLASS_MAPPINGS), f"{lang}: nodeDefs.json misses or has extra nodes"


def test_web_extension_is_served(comfy: Comfy) -> None:
    listed = requests.get(f"{comfy.url}/extensions", timeout=10).json()
    path = f"/extensions/{PACK_DIR}/content_safety.js"
    assert path in listed
    r = requests.get(comfy.url + path, timeout=10)
    assert r.status_code == 200 and "javascript" in r.headers["Content-Type"]
    assert r.text == (ROOT / "web" / "js" / "content_safety.js").read_text("utf-8")
    assert "registerExtension" in r.text


# --- example workflows -------------------------------------------------------------------------


def _widget_inputs(spec: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    """Inputs the frontend shows as widgets, in the order their values are saved."""
    order = spec["input_order"]
    inputs = {**spec["input"]["required"], **spec["input"].get("optional", {})}
    names = [*order.get("required", []), *order.get("optional", [])]
    return [(n, inputs[n]) for n in names if isinstance(inputs[n][0], list) or inputs[n][0] in WIDGET_TYPES]


def _saved_values(spec: dict[str, Any]) -> list[str]:
    """Names of the values in widgets_values: each widget, plus `control_after_generate`
    after a seed widget that has one and the upload button's value after an upload combo."""
    names = []
    for name, (kind, *rest) in _widget_inputs(spec):
        options = rest[0] if rest else {}
        names.append(name)
        if options.get("control_after_generate"):
            names.append(f"{name}:control_after_generate")
        if options.get("image_upload"):
            names.append(f"{name}:upload")
    return names


def test_example_workflows_load_with_the_nodes_this_comfyui_has(comfy: Comfy) -> None:
    files = sorted((ROOT / "example_workflows").glob("*.json"))
    assert files, "no example workflows"
    for path in files:
        workflow = json.loads(path.read_text("utf-8"))
        nodes = {n["id"]: n for n in workflow["nodes"]}
        for node in nodes.values():
            kind = node["type"]
            if kind in FRONTEND_ONLY:
                continue
            assert kind in comfy.object_info, f"{path.name}: node {node['id']} has unknown type {kind}"
            spec = comfy.object_info[kind]
            if kind not in NODE_CLASS_MAPPINGS:
                continue
            values = node.get("widgets_values") or []
            names = _saved_values(spec)
            assert len(values) == len(names), f"{path.name}: node {node['id']} ({kind}) saves {names}"
            for (name, (choices, *_)), value in zip(_widget_inputs(spec), _values_by_widget(values, names)):
                if isinstance(choices, list) and choices:
                    assert value in choices, f"{path.name}: node {node['id']} {name}={value!r}"
        for link_id, src, src_slot, dst, dst_slot, kind in workflow["links"]:
            if nodes[src]["type"] in FRONTEND_ONLY or nodes[dst]["type"] in FRONTEND_ONLY:
                continue
            out_type = comfy.object_info[nodes[src]["type"]]["output"][src_slot]
            assert out_type == kind, f"{path.name}: link {link_id} carries {kind}, output is {out_type}"
            target = nodes[dst]["inputs"][dst_slot]
            assert target["link"] == link_id and target["type"] in (kind, "*"), f"{path.name}: link {link_id}"


def _values_by_widget(values: list[Any], names: list[str]) -> list[Any]:
    return [v for v, n in zip(values, names) if ":" not in n]

