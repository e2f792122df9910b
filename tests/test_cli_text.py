"""`check-text` through a real subprocess: input sources, --json and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str, stdin: str | bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "COMFY_CONTENT_SAFETY_CONFIG"}
    full_env.update(env or {})
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([sys.executable, "-m", "safety", "check-text", *args], cwd=ROOT,
                          input=data, capture_output=True, env=full_env, timeout=120)


def test_safe_text_from_arguments_exits_0() -> None:
    res = cli("a", "lighthouse", "at", "dawn")
    assert res.returncode == 0, res.stderr
    assert res.stdout.decode().startswith("safe")


def test_unsafe_text_exits_1_with_json_verdict() -> None:
    res = cli("--json", "hardcore porn")
    assert res.returncode == 1
    verdict = json.loads(res.stdout)
    assert verdict["level"] == "unsafe" and "sexual" in verdict["categories"]


def test_text_from_file_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "prompt.txt"
    path.write_text("一部色情片", encoding="utf-8")
    assert cli("--file", str(path)).returncode == 1
    assert cli("--file", "-", stdin="一部色情片").returncode == 1
    assert cli(stdin="a quiet harbour").returncode == 0


def test_policy_option_changes_the_outcome(tmp_path: Path) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("policies:\n  relaxed:\n    extends: normal\n    block: []\n")
    assert cli("--config", str(cfg), "--policy", "relaxed", "hardcore porn").returncode == 0
    assert cli("--config", str(cfg), "--policy", "normal", "hardcore porn").returncode == 1


def test_errors_exit_2_with_a_clear_message(tmp_path: Path) -> None:
    res = cli("--policy", "nope", "hello")
    assert res.returncode == 2 and b"unknown policy 'nope'" in res.stderr
    res = cli("--file", str(tmp_path / "missing.txt"))
    assert res.returncode == 2 and b"missing.txt: cannot read" in res.stderr
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa")
    res = cli("--file", str(bad))
    assert res.returncode == 2 and b"bad.txt: not UTF-8 text" in res.stderr
    cfg = tmp_path / "config.yaml"
    cfg.write_text("policies:\n  p:\n    threshold: high\n")
    res = cli("hello", env={"COMFY_CONTENT_SAFETY_CONFIG": str(cfg)})
    assert res.returncode == 2 and b"policies.p.threshold: expected a number" in res.stderr
    assert b"Traceback" not in res.stderr


def test_a_check_refused_for_its_config_is_a_decision_too(monkeypatch, tmp_path) -> None:
    """A remote check without credentials fails when it runs (exit 2); the audit trail must
    still show the refused check."""
    from content_safety_guard.safety import DECISION_HOOKS
    from content_safety_guard.safety.cli import main

    monkeypatch.delenv("COMFY_CONTENT_SAFETY_CONFIG", raising=False)
    for key in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "x.png").write_bytes(b"")
    seen = []
    with DECISION_HOOKS.registered(seen.append):
        assert main(["check-text", "--mode", "remote", "hello"]) == 2
        assert main(["check-image", "--mode", "remote", str(tmp_path / "x.png")]) == 2
    assert [(d.stage, d.action, d.text, d.inputs) for d in seen] == [
        ("cli", "error", "hello", ()), ("cli", "error", None, (str(tmp_path / "x.png"),))]
    assert all("credentials" in d.error["reason"] for d in seen)


def test_every_cli_check_is_a_decision_and_a_failing_hook_is_exit_2(monkeypatch, capsys, tmp_path) -> None:
    from content_safety_guard.safety import DECISION_HOOKS
    from content_safety_guard.safety.cli import main

    monkeypatch.delenv("COMFY_CONTENT_SAFETY_CONFIG", raising=False)
    seen = []
    with DECISION_HOOKS.registered(seen.append):
        assert main(["check-text", "--user", "u1", "hardcore porn"]) == 1
        (tmp_path / "x.png").write_bytes(b"not an image")
        assert main(["check-image", str(tmp_path / "x.png")]) == 2
    assert [(d.stage, d.action, d.user, d.text) for d in seen] == [
        ("cli", "blocked", "u1", "hardcore porn"), ("cli", "error", "", None)]
    assert seen[1].inputs == (str(tmp_path / "x.png"),) and seen[1].error["code"] == "content_safe_check_error"

    def refuse(decision):
        raise RuntimeError("audit store down")

    with DECISION_HOOKS.registered(refuse):
        assert main(["check-text", "hello"]) == 2
    assert "audit store down" in capsys.readouterr().err


def test_a_text_check_does_not_load_the_audit_store() -> None:
    """Each `content-safety check-text` is a fresh process: SQLAlchemy and cryptography would
    cost it more than the check (they load with the audit commands and an audited decision).
    onnxruntime loads for the English half of the text model, and only then."""
    code = ("import sys\n"
            "from safety.cli import main\n"
            "code = main(['check-text', 'a watercolor of a lighthouse'])\n"
            "print(code, sorted(m for m in ('sqlalchemy', 'cryptography', 'onnxruntime') if m in sys.modules))")
    env = {k: v for k, v in os.environ.items() if k != "COMFY_CONTENT_SAFETY_CONFIG"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env,
                         check=True).stdout
    assert out.splitlines()[-1] == "0 ['onnxruntime']"
