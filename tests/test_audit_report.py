"""`content-safety report` and `content-safety audit ...` from the command line, against a
seeded store whose figures are known."""

from __future__ import annotations

import csv
import json
import re
import sys
import time
from pathlib import Path

import pytest

from audit_helpers import T0, stored_rows, write_keys
from content_safety_guard.safety.audit.record import build_record
from content_safety_guard.safety.audit.store import AuditStore
from content_safety_guard.safety.cli import main
from content_safety_guard.safety.config import load_config
from content_safety_guard.safety.decision import Decision
from content_safety_guard.safety.verdict import Verdict

DAY, MIN = 86_400.0, 60.0


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """Months and days in the report are local time: make local time UTC for the test."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def verdict(level: str, category: str = "", provider: str = "local:lexicon", term: str = "") -> Verdict:
    evidence = ({"term": term, "lexicon": term, "category": category},) if term else ()
    return Verdict(level=level, categories=(category,) if category else (), provider=provider,
                   evidence=evidence, latency_ms=1.0)


def seed_decisions() -> list[Decision]:
    d = []

    def add(at: float, user: str, action: str, v: Verdict | None = None, stage: str = "text", **kw):
        d.append(Decision(stage, action, (v,) if v else (), "normal", user=user, time=at,
                          prompt_id=f"p{len(d)}", text=f"text {len(d)}", **kw))

    add(T0 - DAY, "alice", "raised", verdict("unsafe", "sexual", term="porn"))  # October: left out
    add(T0 + 1 * 3600, "alice", "passed", verdict("safe"))
    add(T0 + 2 * 3600, "alice", "passed", verdict("safe"))
    add(T0 + 3 * 3600, "alice", "raised", verdict("unsafe", "sexual", term="porn"))
    add(T0 + DAY + 60, "bob", "substituted", verdict("unsafe", "drugs", "aliyun:TextModerationPlus", "cocaine"))
    add(T0 + DAY + 120, "bob", "flagged", verdict("controversial", "political"))
    add(T0 + DAY + 180, "bob", "blocked", verdict("unsafe", "sexual", term="porn"), stage="image_save",
        labelled=None)
    for i in range(35):  # carol: a burst of 35 checks within 3 minutes on day 3
        add(T0 + 2 * DAY + i * 5, "carol", "passed", verdict("safe"))
    add(T0 + 3 * DAY, "alice", "raised", None, stage="quota")
    add(T0 + 3 * DAY + 10, "alice", "disabled", None)
    add(T0 + 3 * DAY + 20, "dave", "error", None, error={"reason": "timeout"})
    add(T0 + 4 * DAY, "erin", "passed", verdict("safe"), stage="image_save", outputs=("a.png",), labelled=True)
    add(T0 + 4 * DAY + 1, "erin", "passed", verdict("safe"), stage="image_save", outputs=("b.png",), labelled=False)
    add(T0 + 30 * DAY, "alice", "raised", verdict("unsafe", "sexual", term="porn"))  # December
    return d


@pytest.fixture
def seeded(tmp_path) -> Path:
    creds, keys = write_keys(tmp_path)
    config = tmp_path / "config.yaml"
    config.write_text(f"credentials_file: {creds}\naudit:\n  checkpoint_every: 10\n", encoding="utf-8")
    settings = load_config(config).audit
    store = AuditStore(settings)
    store.append([build_record(d, "full", "b" * 64) for d in seed_decisions()], keys=keys)
    store.close()
    return config


def tamper(config: Path, sql: str) -> None:
    store = AuditStore(load_config(config).audit)
    with store.engine.begin() as conn:
        conn.exec_driver_sql(sql)
    store.close()


def report(config: Path, tmp_path: Path, *extra: str) -> tuple[str, dict[tuple[str, str], int]]:
    out, table = tmp_path / "r.html", tmp_path / "r.csv"
    assert main(["report", "--config", str(config), "--month", "2026-11", "--out", str(out),
                 "--csv", str(table), *extra]) == 0
    with open(table, encoding="utf-8", newline="") as f:
        figures = {(r["section"], r["key"]): int(r["value"]) for r in csv.DictReader(f)}
    return out.read_text(encoding="utf-8"), figures


def test_report_figures_match_the_seeded_store(seeded, tmp_path):
    page, f = report(seeded, tmp_path)
    totals = {k: v for (s, k), v in f.items() if s == "total"}
    assert totals == {"checks": 44, "blocks": 3, "flagged": 1, "errors": 1, "disabled": 1, "users": 5,
                      "prompts": 44, "quota_refusals": 1, "bursts": 1, "labelled_outputs": 1,
                      "unlabelled_outputs": 1}
    assert f[("checks_per_day", "2026-11-01")] == 3 and f[("blocks_per_day", "2026-11-01")] == 1
    assert f[("checks_per_day", "2026-11-02")] == 3 and f[("blocks_per_day", "2026-11-02")] == 2
    assert f[("checks_per_day", "2026-11-03")] == 35 and f[("blocks_per_day", "2026-11-03")] == 0
    assert f[("checks_per_day", "2026-11-30")] == 0
    assert f[("blocks_by_category", "sexual")] == 2 and f[("blocks_by_category", "drugs")] == 1
    assert f[("blocks_by_provider", "local:lexicon")] == 2 and f[("blocks_by_provider", "aliyun:TextModerationPlus")] == 1
    assert f[("checks_by_user", "carol")] == 35 and f[("blocks_by_user", "bob")] == 2
    assert f[("blocked_term", "porn")] == 2 and f[("blocked_term", "cocaine")] == 1
    assert f[("unlabelled_by_user", "erin")] == 1 and ("unlabelled_by_user", "bob") not in f
    [(burst, count)] = [(k, v) for (s, k), v in f.items() if s == "burst"]
    assert burst.startswith("carol 2026-11-03 00:00:00") and count == 35


def test_report_is_one_offline_bilingual_html_file(seeded, tmp_path):
    page, _ = report(seeded, tmp_path)
    assert page.count("<svg") >= 4  # per day, by category, by provider, top users
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing fetched
    assert not re.search(r"https?://", page)  # no URL at all, not even SVG metadata
    assert "<script" not in page and "<link" not in page
    for heading in ("Checks and blocks per day 每日检查与拦截", "Blocks by category 按类别拦截",
                    "Top users 活跃用户", "Bursts 突发请求", "Top blocked terms 高频拦截词",
                    "附录：安全措施配置"):
        assert heading in page
    # the filing appendix comes from the live config
    assert "Lexicons 词库" in page and "sexual_en.txt" in page and "Ed25519 checkpoint every 10 rows" in page
    assert "ContentSafetySaveImage" in page and "180 days" in page and "AI生成" in page  # label text


def test_report_in_privacy_mode_shows_term_hashes(tmp_path):
    from content_safety_guard.safety.audit.chain import sha256_hex

    config = tmp_path / "config.yaml"
    config.write_text("audit:\n  privacy: hash\n", encoding="utf-8")
    store = AuditStore(load_config(config).audit)
    store.append([build_record(d, "hash", "b" * 64) for d in seed_decisions()])
    store.close()
    page, f = report(config, tmp_path)
    assert f[("blocked_term", "sha256:" + sha256_hex("porn"))] == 2
    assert ">porn<" not in page and "text 3" not in page


def test_verify_exit_codes(seeded, tmp_path, capsys):
    assert main(["audit", "verify", "--config", str(seeded)]) == 0
    assert "intact: 48 rows" in capsys.readouterr().out
    tamper(seeded, "UPDATE content_safety_audit SET action = 'passed' WHERE seq = 4")
    assert main(["audit", "verify", "--config", str(seeded)]) == 1
    assert "BROKEN: row 4: changed" in capsys.readouterr().out
    (tmp_path / "empty" / "config.yaml").parent.mkdir()
    (tmp_path / "empty" / "config.yaml").write_text("audit: {}\n", encoding="utf-8")
    assert main(["audit", "verify", "--config", str(tmp_path / "empty" / "config.yaml")]) == 2
    assert "no audit store at" in capsys.readouterr().err
    assert not (tmp_path / "empty" / "audit.sqlite3").exists()
    (tmp_path / "broken.yaml").write_text("audit:\n  privacy: maybe\n", encoding="utf-8")
    assert main(["audit", "verify", "--config", str(tmp_path / "broken.yaml")]) == 2
    assert "audit.privacy" in capsys.readouterr().err


def test_export_jsonl_and_csv_by_period(seeded, tmp_path, capsys):
    out = tmp_path / "x.jsonl"
    assert main(["audit", "export", "--config", str(seeded), "--since", "2026-11-02", "--until", "2026-11-03",
                 "--format", "jsonl", "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["user"] for r in lines] == ["bob", "bob", "bob"]
    assert {"seq", "hash", "prev_hash", "detail", "text"} <= set(lines[0])
    assert main(["audit", "export", "--config", str(seeded), "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert len(rows) == 48 and rows[0]["seq"] == "1"
    assert main(["audit", "export", "--config", str(seeded), "--since", "yesterday"]) == 2


def test_purge_from_the_cli_keeps_the_chain_verifiable(tmp_path, capsys):
    creds, keys = write_keys(tmp_path)
    config = tmp_path / "config.yaml"
    config.write_text(f"credentials_file: {creds}\naudit:\n  retention_days: 30\n  checkpoint_every: 2\n",
                      encoding="utf-8")
    store = AuditStore(load_config(config).audit)
    now = time.time()
    old = [Decision("text", "passed", (), "normal", time=now - 40 * DAY + i) for i in range(5)]
    new = [Decision("text", "passed", (), "normal", time=now - DAY + i) for i in range(3)]
    store.append([build_record(d, "full", "c" * 64) for d in old + new], keys=keys)
    store.close()
    assert main(["audit", "purge", "--config", str(config)]) == 0
    assert "purged 5 rows older than 30 days (anchor at row 5)" in capsys.readouterr().out
    assert main(["audit", "verify", "--config", str(config)]) == 0
    assert "intact: 3 rows (rows 6-8, 5 purged before row 6)" in capsys.readouterr().out


def test_purge_refuses_a_broken_chain(seeded, capsys):
    tamper(seeded, "DELETE FROM content_safety_audit WHERE seq = 2")
    assert main(["audit", "purge", "--config", str(seeded)]) == 1
    assert "not purged" in capsys.readouterr().err


def test_check_text_records_when_the_config_has_audit(tmp_path, capsys):
    config = tmp_path / "config.yaml"
    config.write_text("audit:\n  privacy: hash\n", encoding="utf-8")
    assert main(["check-text", "--config", str(config), "--user", "zoe", "hardcore porn"]) == 1
    assert main(["check-text", "--config", str(config), "a calm lake"]) == 0
    rows = stored_rows(load_config(config).audit)
    assert [(r["stage"], r["action"], r["user"], r["level"]) for r in rows] == [
        ("cli", "blocked", "zoe", "unsafe"), ("cli", "passed", "", "safe")]
    assert rows[0]["text"] is None and "porn" not in rows[0]["detail"]


def test_check_image_records_each_file(tmp_path):
    from PIL import Image

    Image.new("RGB", (64, 64), (30, 120, 200)).save(tmp_path / "sky.png")
    (tmp_path / "broken.png").write_bytes(b"not an image")
    config = tmp_path / "config.yaml"
    config.write_text("audit: {}\n", encoding="utf-8")
    assert main(["check-image", "--config", str(config), str(tmp_path / "sky.png"), str(tmp_path / "broken.png")]) == 2
    rows = stored_rows(load_config(config).audit)
    assert [(r["action"], json.loads(r["detail"])["inputs"]) for r in rows] == [
        ("passed", [str(tmp_path / "sky.png")]), ("error", [str(tmp_path / "broken.png")])]


def test_keygen_prints_a_usable_pair(tmp_path, capsys):
    from content_safety_guard.safety.audit.signing import load_keys

    assert main(["audit", "keygen"]) == 0
    path = tmp_path / "creds.yaml"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    keys = load_keys(str(path))
    assert keys.valid({"a": 1}, keys.sign({"a": 1}))


def test_report_without_matplotlib_names_the_package(seeded, tmp_path, monkeypatch, capsys):
    """matplotlib is an optional extra (not in requirements.txt): a clear error, exit 2."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    out = tmp_path / "none.html"
    assert main(["report", "--config", str(seeded), "--month", "2026-11", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "pip install 'matplotlib'" in err and "content-safety-guard[report]" in err and not out.exists()


def test_filing_appendix_masks_credentials_of_the_time_stamp_server() -> None:
    from content_safety_guard.safety.audit.report.filing import _label_value
    from content_safety_guard.safety.settings.labels import C2paSettings

    shown = _label_value(C2paSettings("chain.pem", "key.pem", tsa_url="https://tsa:s3cret@ts.example/?password=p4ss"))
    assert "s3cret" not in shown and "p4ss" not in shown and "key.pem" not in shown
    assert "tsa_url=https://tsa:***@ts.example/?password=***" in shown and "cert_chain=chain.pem" in shown


@pytest.mark.parametrize("value", ["2026-11-01T08:30Z", "2026-11-01T08:30z", "2026-11-01T08:30+00:00"])
def test_a_utc_moment_reads_the_same_with_z_or_an_offset(value):
    """--since/--until accept the "Z" that logs and APIs write (Python 3.10 reads no "Z")."""
    from content_safety_guard.safety.audit.period import parse_moment

    assert parse_moment(value, "--since") == 1793521800.0
