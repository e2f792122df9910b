"""The DECISION_HOOKS hook: what a record holds, privacy mode, model/lexicon hashes, and
what happens when the store fails (refuse or spool and replay)."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from audit_helpers import T0, decision, settings, stored_rows
from content_safety_guard.safety import DECISION_HOOKS, HookError, Verdict, load_config
from content_safety_guard.safety.audit.chain import sha256_hex
from content_safety_guard.safety.files import sha256_file
from content_safety_guard.safety.audit.store import AuditStore
from content_safety_guard.safety.audit.trail import AuditError, AuditTrail, Stores
from content_safety_guard.safety.audit.verify import verify
from content_safety_guard.safety.errors import CHECK_ERROR, ContentSafetyError
from content_safety_guard.safety.text.lexicon import SEED_FILES
from pg_server import postgres_server, postgres_url  # noqa: F401

LEXICON_HIT = Verdict(level="unsafe", categories=("sexual",), score=1.0, provider="local:lexicon",
                      evidence=({"term": "porn", "lexicon": "porn*", "category": "sexual", "span": [9, 13]},),
                      latency_ms=2.5)


def config(tmp_path: Path, audit: str) -> object:
    path = tmp_path / "config.yaml"
    path.write_text(f"audit:\n{audit}\n", encoding="utf-8")
    return load_config(path)


def rows(cfg) -> list[dict]:
    return stored_rows(cfg.audit)


def trail(cfg, stores: Stores | None = None) -> AuditTrail:
    return AuditTrail(lambda: (cfg, cfg.audit), stores or Stores())


def test_every_field_of_the_decision_is_recorded(tmp_path):
    cfg = config(tmp_path, "  privacy: full")
    d = replace(decision(1, text="hardcore porn", verdicts=(LEXICON_HIT,)), action="raised", client_id="c1",
                remote_addr="10.0.0.7", outputs=("a_00001_.png",), labelled=True,
                labels=({"file": "a_00001_.png", "visible": True},))
    with DECISION_HOOKS.registered(trail(cfg)):
        DECISION_HOOKS.emit(d)
    (row,) = rows(cfg)
    assert {k: row[k] for k in ("time", "stage", "action", "policy", "level", "categories", "providers",
                                "user", "client_id", "prompt_id", "node_id", "remote_addr", "latency_ms",
                                "text", "labelled")} == {
        "time": T0, "stage": "text", "action": "raised", "policy": "normal", "level": "unsafe",
        "categories": "sexual", "providers": "local:lexicon", "user": "alice", "client_id": "c1",
        "prompt_id": "p1", "node_id": "3", "remote_addr": "10.0.0.7", "latency_ms": 2.5,
        "text": "hardcore porn", "labelled": True}
    assert row["text_sha256"] == sha256_hex("hardcore porn")
    detail = json.loads(row["detail"])
    assert detail["outputs"] == ["a_00001_.png"] and detail["labels"][0]["visible"] is True
    assert detail["verdicts"][0]["scores"] == {} and detail["verdicts"][0]["evidence"][0]["term"] == "porn"
    # the lexicon files in use, each with its SHA-256, behind the row's digest
    store = AuditStore(cfg.audit)
    with store.reader() as conn:
        files = store.artifacts(conn, row["artifacts"])
    store.close()
    seed = str(SEED_FILES[0])
    assert files[seed] == sha256_file(Path(seed))
    # the lexicons; the shipped text model's n-gram half (graph, sidecar, 3 arrays) and English half
    # (graph, sidecar, tokenizer)
    assert len(files) == len(SEED_FILES) + 8


def test_privacy_hash_keeps_no_words_of_the_prompt(tmp_path):
    cfg = config(tmp_path, "  privacy: hash")
    with DECISION_HOOKS.registered(trail(cfg)):
        DECISION_HOOKS.emit(decision(1, text="hardcore porn", verdicts=(LEXICON_HIT,)))
    (row,) = rows(cfg)
    assert row["text"] is None and row["text_sha256"] == sha256_hex("hardcore porn")
    evidence = json.loads(row["detail"])["verdicts"][0]["evidence"][0]
    assert evidence["term"] == "sha256:" + sha256_hex("porn") and evidence["category"] == "sexual"
    assert "porn" not in row["detail"].replace(evidence["term"], "").replace(evidence["lexicon"], "")


def test_privacy_hash_leaves_no_words_in_errors_remote_words_pii_or_parse_errors(tmp_path):
    """The raised run's JSON error repeats the evidence; remote risk words, masked PII
    values and an LLM reply that could not be parsed quote the text too."""
    cfg = config(tmp_path, "  privacy: hash")
    prompt = "hardcore porn call 13812345678"
    remote = Verdict(level="unsafe", categories=("sexual",), score=1.0, provider="aliyun:TextModerationPlus",
                     evidence=({"label": "adult_content", "risk_words": ["hardcore", "porn"],
                                "raw_reason": "hardcore porn"},
                               {"rule": "phone_cn", "span": [19, 30], "value": "138****5678"},
                               {"judge_format": "json", "parse_error": "got: 'hardcore porn'"}))
    error = ContentSafetyError.from_verdict(replace(LEXICON_HIT, evidence=LEXICON_HIT.evidence + remote.evidence),
                                            stage="text", node_id="3")
    llm_error = ContentSafetyError(code=CHECK_ERROR, stage="llm", provider="llm:local",
                                   reason="the json judge's reply is not a verdict: got 'hardcore porn'")
    with DECISION_HOOKS.registered(trail(cfg)):
        DECISION_HOOKS.emit(replace(decision(1, text=prompt, verdicts=(LEXICON_HIT, remote)), action="raised",
                                    error=error.payload))
        DECISION_HOOKS.emit(replace(decision(2, text=prompt), action="error", error=llm_error.payload))
    for row in rows(cfg):
        stored = json.dumps(row, ensure_ascii=False)
        for word in ("hardcore", "porn", "13812345678", "5678"):
            assert word not in stored, (word, row["detail"])
        detail = json.loads(row["detail"])
        assert detail["error"]["code"] and detail["error"]["stage"] in ("text", "llm")  # still says what failed
    raised, failed = (json.loads(row["detail"])["error"] for row in rows(cfg))
    assert raised["categories"] == ["sexual"] and raised["reason"] == "content flagged as unsafe: sexual"
    assert failed["reason"] == "sha256:" + sha256_hex(llm_error.payload["reason"])


def test_image_stage_records_the_model_hash(tmp_path):
    from content_safety_guard.safety.models import nudenet_onnx

    cfg = config(tmp_path, "  privacy: full")
    with DECISION_HOOKS.registered(trail(cfg)):
        DECISION_HOOKS.emit(replace(decision(1), stage="image_save", text=None))
    store = AuditStore(cfg.audit)
    with store.reader() as conn:
        files = store.artifacts(conn, rows(cfg)[0]["artifacts"])
    store.close()
    assert files[str(nudenet_onnx())] == sha256_file(nudenet_onnx())


def test_text_stage_records_the_text_models_hash_with_its_tokenizer(tmp_path):
    """The shipped `textmodel` (a builtin checker name, not `model:<name>`: both halves it
    averages) and a Hugging Face classifier's tokenizer are safety model files too."""
    from content_safety_guard.safety.text.model_spec import find_text_model

    onnx_path = tmp_path / "models" / "hf.onnx"
    onnx_path.parent.mkdir()
    onnx_path.write_bytes(b"not really onnx: only hashed here")
    (tmp_path / "models" / "hf.json").write_text('{"modality": "text", "labels": ["safe", "toxic"], '
                                                 '"categories": {"toxic": "hate"}}', encoding="utf-8")
    (tmp_path / "models" / "hf.tokenizer.json").write_text("{}", encoding="utf-8")
    path = tmp_path / "config.yaml"
    path.write_text("audit: {}\nmodels_dirs: [models]\npolicies:\n  hf:\n    extends: normal\n"
                    "    text_checkers: [lexicon, textmodel, 'model:hf']\n", encoding="utf-8")
    cfg = load_config(path)
    with DECISION_HOOKS.registered(trail(cfg)):
        DECISION_HOOKS.emit(replace(decision(1), policy="hf"))
    store = AuditStore(cfg.audit)
    with store.reader() as conn:
        files = store.artifacts(conn, rows(cfg)[0]["artifacts"])
    store.close()
    shipped, context = find_text_model("textmodel", cfg), find_text_model("contextmodel", cfg)
    hf = find_text_model("hf", cfg)
    for used in (shipped.path, shipped.sidecar, *shipped.arrays.values(), context.path, context.sidecar,
                 context.tokenizer, hf.path, hf.sidecar, hf.tokenizer):
        assert files[str(used)] == sha256_file(Path(used)), used
    assert str(SEED_FILES[0]) in files


def test_file_hash_is_computed_once_per_version(tmp_path, monkeypatch):
    from content_safety_guard.safety import files

    path = tmp_path / "words.txt"
    path.write_text("one\n", encoding="utf-8")
    opened = []
    real_open = open
    monkeypatch.setattr(files, "open", lambda *a, **k: opened.append(a[0]) or real_open(*a, **k),
                        raising=False)
    first = files.sha256_file(path)
    assert files.sha256_file(path) == first and len(opened) == 1
    path.write_text("one\ntwo\n", encoding="utf-8")
    assert files.sha256_file(path) != first and len(opened) == 2


def test_refuse_fails_the_run_with_check_error(tmp_path):
    (tmp_path / "audit.sqlite3").mkdir()  # a folder where the database should be: unopenable
    cfg = config(tmp_path, "  on_failure: refuse")
    with DECISION_HOOKS.registered(trail(cfg)), pytest.raises(HookError) as caught:
        DECISION_HOOKS.emit(decision(1, text="secret words"))
    assert isinstance(caught.value.__cause__, AuditError)
    error = ContentSafetyError.from_exception(caught.value, stage="text", node_id="3")
    payload = json.loads(str(error))
    assert payload["code"] == CHECK_ERROR and payload["provider"] == "hook:AuditTrail"
    assert "audit.on_failure: refuse" in payload["reason"] and "secret words" not in str(error)


def test_refuse_on_unreachable_postgres(tmp_path, postgres_url):
    port = int(postgres_url.rsplit(":", 1)[1].split("/")[0])
    dead = postgres_url.replace(f":{port}/", f":{port + 1 if port < 65535 else port - 1}/")
    cfg = replace(load_config(None), audit=replace(settings(tmp_path, dead.replace("postgres@", "postgres:pw@"))))
    with pytest.raises(AuditError) as caught:
        trail(cfg)(decision(1))
    assert "pw@" not in str(caught.value) and "***" in str(caught.value)


def test_spool_keeps_records_and_replays_them_in_order(tmp_path):
    blocker = tmp_path / "audit.sqlite3"
    blocker.mkdir()
    cfg = config(tmp_path, "  on_failure: spool\n  checkpoint_every: 2")
    hook = trail(cfg)
    for i in range(3):
        hook(decision(i, time=T0 + i))
    spool = Path(cfg.audit.spool_path)
    assert len(spool.read_text(encoding="utf-8").splitlines()) == 3
    assert os.stat(spool).st_mode & 0o777 == 0o600
    shutil.rmtree(blocker)  # the store is back
    hook(decision(3, time=T0 + 3))
    found = rows(cfg)
    assert [r["prompt_id"] for r in found] == ["p0", "p1", "p2", "p3"]
    assert spool.read_text(encoding="utf-8") == ""
    store = AuditStore(cfg.audit)
    assert verify(store, None).ok
    store.close()


def test_spool_replayed_twice_appends_nothing_twice(tmp_path):
    from content_safety_guard.safety.audit.spool import Spool
    from audit_helpers import record

    cfg = config(tmp_path, "  on_failure: spool")
    store = AuditStore(cfg.audit)
    spool = Spool(cfg.audit.spool_path)
    spool.add([record(1), record(2)])
    kept = Path(spool.path).read_text(encoding="utf-8")
    spool.replay(lambda rs: store.append(rs, skip_known=True))
    Path(spool.path).write_text(kept, encoding="utf-8")  # a crash before the file was emptied
    spool.replay(lambda rs: store.append(rs, skip_known=True))
    with store.reader() as conn:
        assert store.count(conn) == 2
    store.close()


def test_spool_that_cannot_be_written_refuses(tmp_path):
    (tmp_path / "audit.sqlite3").mkdir()
    (tmp_path / "spool").mkdir()
    cfg = config(tmp_path, "  on_failure: spool\n  spool_path: spool")  # a folder: unwritable as a file
    with pytest.raises(AuditError, match="spool"):
        trail(cfg)(decision(1))


def test_settings_errors_name_the_key(tmp_path):
    from content_safety_guard.safety.errors import ConfigError

    for body, message in (("  privacy: partial", "audit.privacy: must be one of full, hash"),
                          ("  on_failure: drop", "audit.on_failure: must be one of refuse, spool"),
                          ("  retention_days: 0", "audit.retention_days: must be between"),
                          ("  checkpoint_every: 2.5", "audit.checkpoint_every: expected a whole number"),
                          ("  url: mysql://db/x", "audit.url: unsupported store 'mysql'"),
                          ("  url: postgresql:///x", "audit.url: PostgreSQL URL has no host"),
                          ("  url: postgresql://u:secret@db/x", r"audit.url: no password in the URL \(postgresql://u:\*\*\*@db/x\): set PGPASSWORD"),
                          ("  url: postgresql://u@db/x?sslmode=require&password=secret",
                           r"audit.url: no password in the URL \(postgresql://u@db/x\?sslmode=require&password=\*\*\*\)"),
                          ("  retention: 3", "audit.retention: unknown key")):
        with pytest.raises(ConfigError, match=message):
            config(tmp_path, body)


def test_settings_defaults_and_paths(tmp_path):
    cfg = config(tmp_path, "  url: postgresql://u@db.example:5433/audit")
    audit = cfg.audit
    assert audit.url == "postgresql+psycopg://u@db.example:5433/audit"
    assert (audit.privacy, audit.retention_days, audit.on_failure, audit.checkpoint_every) == \
        ("full", 180, "refuse", 1000)
    assert audit.spool_path == str(tmp_path.resolve() / "audit.spool.jsonl")
    sqlite = config(tmp_path, "  url: logs/trail.db").audit
    assert sqlite.url == f"sqlite:///{tmp_path.resolve() / 'logs' / 'trail.db'}"
    assert sqlite.checkpoint_path == str(tmp_path.resolve() / "logs" / "audit.checkpoints.jsonl")


def test_spool_replays_into_postgres_once_it_is_there(tmp_path, postgres_url):
    import psycopg

    server, name = postgres_url.rsplit("/", 1)
    later = f"{server}/{name}_later"  # no such database yet: every connection fails
    cfg = replace(load_config(None), audit=settings(tmp_path, later, on_failure="spool"))
    hook = trail(cfg)
    for i in range(3):
        hook(decision(i, time=T0 + i))
    assert len(Path(cfg.audit.spool_path).read_text(encoding="utf-8").splitlines()) == 3
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}_later")
    try:
        hook(decision(3, time=T0 + 3))
        assert [r["prompt_id"] for r in rows(cfg)] == ["p0", "p1", "p2", "p3"]
    finally:
        hook.stores.close()
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name}_later WITH (FORCE)")


def test_spool_lines_that_are_no_whole_record_are_set_aside_and_the_rest_replayed(tmp_path):
    """A record spooled by another version (a field missing), a value of the wrong type (an
    edit) or a line that is valid JSON but no record would otherwise fail every later replay
    (the store refuses the batch): they go to .rejected, logged."""
    from audit_helpers import record
    from content_safety_guard.safety.audit.spool import Spool

    cfg = config(tmp_path, "  on_failure: spool")
    spool = Spool(cfg.audit.spool_path)
    bad = [{k: v for k, v in record(1).items() if k != "labelled"}, {**record(4), "time": "yesterday"},
           {**record(5), "id": ["a", "b"]}, {**record(6), "latency_ms": True}, {**record(7), "id": "x" * 33}]
    spool.add([bad[0], record(2), *bad[1:]])
    with open(spool.path, "a", encoding="utf-8") as f:
        f.write("[1, 2]\n")
    trail(cfg)(decision(3))
    assert [r["prompt_id"] for r in rows(cfg)] == ["p2", "p3"]
    rejected = Path(spool.path + ".rejected").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in rejected] == [*bad, [1, 2]]
    assert Path(spool.path).read_text(encoding="utf-8") == ""


def test_every_record_build_record_makes_is_a_record():
    from audit_helpers import record
    from content_safety_guard.safety.audit.record import is_record

    assert is_record(record(1)) and is_record({**record(2), "text": None, "labelled": None})


def test_a_spool_line_cut_short_is_set_aside_not_dropped(tmp_path):
    from audit_helpers import record
    from content_safety_guard.safety.audit.spool import Spool

    cfg = config(tmp_path, "  on_failure: spool")
    spool = Spool(cfg.audit.spool_path)
    spool.add([record(1)])
    with open(spool.path, "a", encoding="utf-8") as f:
        f.write('{"id": "cut-sh')  # the process died mid-write
    trail(cfg)(decision(2))
    assert [r["prompt_id"] for r in rows(cfg)] == ["p1", "p2"]
    assert Path(spool.path + ".rejected").read_text(encoding="utf-8") == '{"id": "cut-sh\n'
