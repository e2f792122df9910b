"""Precision, recall and F1 of the local text checkers on the labelled eval sets.

Runs `Engine(config.policy(name), config).check_text` (local mode: lexicon + PII rules
by default) over each set and scores three predictions against the labels:
"flagged" (level is not safe), "unsafe" (level is unsafe) and, per category, whether
the category is in `verdict.categories`.

Sets (looked up in `<repo>/../shared/data/eval/` or `--data DIR`; absent ones are
skipped with a message):
- openai_moderation_dev.jsonl: `prompt` plus binary labels S, H, V, HR, SH, S3, H2, V2;
  a missing key means unknown, so the item leaves that category's counts. An item is
  positive overall when any label is 1. "flagged, known" is the headline precision:
  it leaves out the items with no positive label and some label missing, whose truth
  is unknown (about half the set); "overall flagged" counts them as negatives.
- cold_dev.csv (Chinese): `TEXT`, `label` 1 = offensive, scored as overall and as `hate`.
- bench/data/prompts_dev.jsonl and prompts_check.jsonl (in the repository, `--prompts`;
  check was written after the lexicon and is never tuned on): the project's own labelled
  image and video prompts, Chinese and English, written for the project: unsafe prompts per
  category, the specification's examples, benign prompts and captions, benign look-alikes
  ("kill a Python process") and negative prompts (checked with role=negative). Besides the
  usual counts it reports, per kind, the share blocked and flagged: the recall on unsafe
  prompts and the over-blocking on benign ones.

Every set also reports the p50 and p95 time of one check through the policy's local cascade.
`--policy` takes a comma list (`lax,normal,strict`) to compare policies in one run.
`--checkers` replaces the policy's text checkers (`lexicon,pii`: the cascade without the
text model; `textmodel`: the model alone).

    python bench/eval_text.py [--policy normal] [--data DIR] [--prompts FILE] [--config FILE] [--json]
                              [--checkers lexicon,pii]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from safety import ConfigError, Engine, Verdict, load_config  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "eval"
# The project's own prompt sets: dev (tuned on while writing the lexicon) and check
# (written afterwards and never tuned on: its figures are the honest ones).
DEFAULT_PROMPTS = (ROOT / "bench" / "data" / "prompts_dev.jsonl", ROOT / "bench" / "data" / "prompts_check.jsonl")
OPENAI_FILE = "openai_moderation_dev.jsonl"
COLD_FILE = "cold_dev.csv"
PROMPT_KINDS = ("prompt", "spec", "lookalike", "negative")
# OpenAI moderation label -> taxonomy categories it is evidence for.
OPENAI_LABELS: Mapping[str, tuple[str, ...]] = {
    "S": ("sexual",), "H": ("hate",), "V": ("violence",), "HR": ("harassment",),
    "SH": ("self_harm",), "S3": ("minors",), "H2": ("hate",), "V2": ("gore", "violence"),
}


@dataclass(frozen=True)
class Item:
    text: str
    positive: bool
    categories: Mapping[str, bool]  # only the categories whose truth is known
    known: bool = True  # False: negative only because some labels are missing
    kind: str = ""  # prompts set: prompt | spec | lookalike | negative
    role: str = "positive"  # negative prompts are checked as such


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: bool, predicted: bool) -> None:
        if truth and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1

    def metrics(self) -> dict[str, Any]:
        """Precision is None when nothing was predicted, recall None when nothing is positive."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        if precision is None or recall is None:
            f1 = None
        else:
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "precision": precision, "recall": recall, "f1": f1}


@dataclass
class SetResult:
    name: str
    items: int = 0
    positives: int = 0
    seconds: float = 0.0
    flagged: Counts = field(default_factory=Counts)
    unsafe: Counts = field(default_factory=Counts)
    flagged_known: Counts = field(default_factory=Counts)
    categories: dict[str, Counts] = field(default_factory=dict)
    false_positives: list[tuple[str, Verdict]] = field(default_factory=list)
    kinds: dict[str, Share] = field(default_factory=dict)  # "kind/label" -> blocked, flagged
    latencies_ms: list[float] = field(default_factory=list)

    def latency(self) -> dict[str, float]:
        ms = sorted(self.latencies_ms)
        pick = (lambda q: round(ms[min(len(ms) - 1, int(q * len(ms)))], 3)) if ms else (lambda q: 0.0)
        return {"p50_ms": pick(0.5), "p95_ms": pick(0.95)}

    def to_dict(self) -> dict[str, Any]:
        out = {"items": self.items, "positives": self.positives, "seconds": round(self.seconds, 2),
               "overall": {"flagged": self.flagged.metrics(), "unsafe": self.unsafe.metrics(),
                           "flagged_known": self.flagged_known.metrics()},
               "categories": {c: n.metrics() for c, n in self.categories.items()},
               "latency": self.latency()}
        if self.kinds:
            out["kinds"] = {k: share.to_dict() for k, share in self.kinds.items()}
        return out


@dataclass
class Share:
    """How many items of one kind were blocked (unsafe) and flagged (not safe)."""

    items: int = 0
    blocked: int = 0
    flagged: int = 0

    def add(self, verdict: Verdict) -> None:
        self.items += 1
        self.blocked += verdict.level == "unsafe"
        self.flagged += verdict.level != "safe"

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "blocked": self.blocked, "flagged": self.flagged,
                "blocked_rate": self.blocked / self.items if self.items else None,
                "flagged_rate": self.flagged / self.items if self.items else None}


T = TypeVar("T")


def jsonl_rows(path: Path, pick: Callable[[dict[str, Any]], T], expected: str) -> Iterator[tuple[int, dict[str, Any], T]]:
    """(line number, row, pick(row)) of a JSON-lines file; a bad line names itself and what
    was `expected`."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                picked = pick(row)
            except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
                raise ValueError(f"{path}:{lineno}: expected a JSON object with {expected} ({exc})") from None
            yield lineno, row, picked


def load_openai(path: Path) -> list[Item]:
    items = []
    pick = lambda row: (row["prompt"], {k: int(v) == 1 for k, v in row.items() if k in OPENAI_LABELS})  # noqa: E731
    for _, _, (text, labels) in jsonl_rows(path, pick, "'prompt' and 0/1 labels"):
        truth: dict[str, bool] = {}
        for cat in {c for cats in OPENAI_LABELS.values() for c in cats}:
            keys = [k for k, cats in OPENAI_LABELS.items() if cat in cats]
            if any(labels.get(k) for k in keys):
                truth[cat] = True
            elif all(k in labels for k in keys):
                truth[cat] = False
        positive = any(labels.values())
        items.append(Item(text, positive, truth, positive or len(labels) == len(OPENAI_LABELS)))
    return items


def load_cold(path: Path) -> list[Item]:
    items = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"TEXT", "label"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for row in reader:
            if row["label"] not in ("0", "1"):
                raise ValueError(f"{path}:{reader.line_num}: label must be 0 or 1, got {row['label']!r}")
            positive = row["label"] == "1"
            items.append(Item(row["TEXT"], positive, {"hate": positive}))
    return items


def load_prompts(path: Path) -> list[Item]:
    """One JSON object a line: text, label (unsafe | safe), kind, optional category."""
    items = []
    pick = lambda row: (row["text"], row["label"], row["kind"])  # noqa: E731
    for lineno, row, (text, label, kind) in jsonl_rows(path, pick, "text, label and kind"):
        if label not in ("unsafe", "safe") or kind not in PROMPT_KINDS:
            raise ValueError(f"{path}:{lineno}: label must be unsafe or safe and kind one of "
                             f"{', '.join(PROMPT_KINDS)}, got {label!r}, {kind!r}")
        positive = label == "unsafe"
        category = row.get("category")
        cats = {category: True} if positive and category and category != "spec" else {}
        items.append(Item(text, positive, cats, kind=kind,
                          role="negative" if kind == "negative" else "positive"))
    return items


LOADERS = ((OPENAI_FILE, load_openai), (COLD_FILE, load_cold))


def evaluate(name: str, items: Sequence[Item], engine: Engine, keep_fp: int = 0) -> SetResult:
    result = SetResult(name, items=len(items), positives=sum(i.positive for i in items))
    start = time.perf_counter()
    for item in items:
        began = time.perf_counter()
        verdict = engine.check_text(item.text, role=item.role)
        result.latencies_ms.append((time.perf_counter() - began) * 1000)
        if item.kind:
            key = f"{item.kind}/{'unsafe' if item.positive else 'safe'}"
            result.kinds.setdefault(key, Share()).add(verdict)
        result.flagged.add(item.positive, verdict.level != "safe")
        result.unsafe.add(item.positive, verdict.level == "unsafe")
        if item.known:
            result.flagged_known.add(item.positive, verdict.level != "safe")
        for cat, truth in sorted(item.categories.items()):
            result.categories.setdefault(cat, Counts()).add(truth, cat in verdict.categories)
        if not item.positive and verdict.level != "safe" and len(result.false_positives) < keep_fp:
            result.false_positives.append((item.text, verdict))
    result.seconds = time.perf_counter() - start
    return result


def _fmt(value: float | None) -> str:
    return "    -" if value is None else f"{value:5.3f}"


def table(result: SetResult, policy: str) -> str:
    lat = result.latency()
    lines = [f"{result.name}: {result.items} items, {result.positives} positive, "
             f"policy={policy}, {result.seconds:.1f} s, p50 {lat['p50_ms']:.3f} ms, "
             f"p95 {lat['p95_ms']:.3f} ms",
             f"  {'scope':<18}{'tp':>6}{'fp':>6}{'fn':>6}  {'prec':>5}  {'recall':>6}  {'f1':>5}"]
    rows = [("overall flagged", result.flagged), ("overall unsafe", result.unsafe)]
    if result.flagged_known != result.flagged:
        rows.append(("flagged, known", result.flagged_known))
    rows += [(f"  {cat}", counts) for cat, counts in sorted(result.categories.items())]
    for label, counts in rows:
        m = counts.metrics()
        lines.append(f"  {label:<18}{m['tp']:>6}{m['fp']:>6}{m['fn']:>6}  {_fmt(m['precision'])}"
                     f"  {_fmt(m['recall']):>6}  {_fmt(m['f1'])}")
    if result.kinds:
        lines.append(f"  {'kind':<18}{'items':>6}{'blocked':>9}{'flagged':>9}")
        for key, share in sorted(result.kinds.items()):
            d = share.to_dict()
            lines.append(f"  {key:<18}{d['items']:>6}{d['blocked_rate']:>9.1%}{d['flagged_rate']:>9.1%}")
    for text, verdict in result.false_positives:
        terms = [e.get("lexicon") or e.get("rule") for e in verdict.evidence]
        lines.append(f"  FP [{verdict.labels}] {terms}: {text[:120]!r}")
    return "\n".join(lines)


def run(data_dir: Path, policy: str, config_file: str | None, keep_fp: int = 0,
        log: Callable[[str], None] = print, prompts: Sequence[Path] = DEFAULT_PROMPTS,
        checkers: Sequence[str] = ()) -> list[SetResult]:
    config = load_config(config_file)
    chosen = config.policy(policy)
    engine = Engine(replace(chosen, text_checkers=tuple(checkers)) if checkers else chosen, config)
    sets = [(data_dir / name, name, loader) for name, loader in LOADERS]
    sets += [(path, path.name, load_prompts) for path in prompts]
    results = []
    for path, name, loader in sets:
        if not path.is_file():
            log(f"skipping {name}: not found in {path.parent}")
            continue
        results.append(evaluate(name, loader(path), engine, keep_fp))
    return results


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--policy", default="normal",
                        help="policy name, or a comma list such as lax,normal,strict (default: normal)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"folder with {OPENAI_FILE} and/or {COLD_FILE} (default: {DEFAULT_DATA})")
    parser.add_argument("--prompts", nargs="*", default=[str(p) for p in DEFAULT_PROMPTS],
                        help="the project's labelled prompt sets ('' leaves them out; default: "
                             "bench/data/prompts_dev.jsonl and prompts_check.jsonl)")
    parser.add_argument("--config", help="config file with user policies (default: built-in policies)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.add_argument("--false-positives", type=int, default=0, metavar="N",
                        help="list up to N false positives per set with the terms that fired")
    parser.add_argument("--checkers", type=lambda v: [c for c in v.split(",") if c], default=[],
                        help="comma list replacing the policy's text checkers, e.g. lexicon,pii "
                             "(the cascade without the text model)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    policies = [p.strip() for p in args.policy.split(",") if p.strip()]
    prompts = [Path(p) for p in args.prompts if p]
    runs = {}
    try:
        for policy in policies:
            runs[policy] = run(args.data, policy, args.config, args.false_positives,
                               log=lambda msg: print(msg, file=sys.stderr), prompts=prompts,
                               checkers=args.checkers)
    except (ConfigError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not any(runs.values()):
        print(f"error: no eval set found in {args.data}", file=sys.stderr)
        return 1
    if args.json:
        as_dict = {p: {r.name: r.to_dict() for r in results} for p, results in runs.items()}
        print(json.dumps({"policy": policies[0], "sets": as_dict[policies[0]]} if len(policies) == 1
                         else {"policies": as_dict}, indent=2))
    else:
        print("\n\n".join(table(r, p) for p, results in runs.items() for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
