"""Benchmark of the whole local rule check (normalise + Aho-Corasick match + PII rules).

A 2,000-character mixed Chinese/English prompt against a generated 50,000-term
lexicon. Peers run in the same process (the machines are noisy, so only the ratios
are comparable across runs): the naive ``for term in terms: if term in text`` loop
and the ``better-profanity`` package (its own default word list: loading 50,000
custom words into it generates leetspeak variants for hours).

    python bench/text_rules.py [--terms 50000] [--runs 500]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safety import BUILTIN_POLICIES, Config, Engine  # noqa: E402
from safety.text.lexicon import Matcher, lexicon_files, parse_lexicon  # noqa: E402

LATIN = "abcdefghijklmnopqrstuvwxyz"
# The 2,500 most common simplified characters sit mostly in this block.
CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 2500)]
PROMPT_EN = ("masterpiece, best quality, a girl standing in a garden at sunset, soft light, "
             "detailed face, wide shot, cinematic lighting, 8k, highly detailed, ")
PROMPT_ZH = "杰作，最佳质量，一个女孩站在夕阳下的花园里，柔和的光线，细节丰富的脸，电影感光效，"


def make_terms(n: int, rng: random.Random) -> list[str]:
    terms: set[str] = set()
    while len(terms) < n:
        if rng.random() < 0.5:
            terms.add("".join(rng.choice(LATIN) for _ in range(rng.randint(5, 10))))
        else:
            terms.add("".join(rng.choice(CJK) for _ in range(rng.randint(2, 4))))
    return sorted(terms)


def make_prompt(terms: list[str], rng: random.Random, length: int = 2000) -> str:
    parts: list[str] = []
    while sum(map(len, parts)) < length:
        parts.append(rng.choice((PROMPT_EN, PROMPT_ZH)))
        if rng.random() < 0.3:
            parts.append(rng.choice(terms) + ", ")
    return "".join(parts)[:length]


def timings(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return sorted(out)


def pct(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--terms", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=500)
    args = ap.parse_args()
    rng = random.Random(20261122)
    terms = make_terms(args.terms, rng)
    text = make_prompt(terms, rng)

    with tempfile.TemporaryDirectory() as tmp:
        lexicon = Path(tmp) / "other_generated.txt"
        lexicon.write_text("\n".join(terms) + "\n", encoding="utf-8")

        parsed = parse_lexicon(lexicon)
        build_s = min(timings(lambda: Matcher(parsed), 3)) / 1000
        policy = replace(BUILTIN_POLICIES["normal"], lexicons=(str(lexicon),),
                         text_checkers=("lexicon", "pii"))
        engine = Engine(policy, Config())
        verdict = engine.check_text(text)  # warm: builds and caches the matcher once
        ours = timings(lambda: engine.check_text(text), args.runs)

    naive = timings(lambda: [t for t in terms if t in text], max(10, args.runs // 25))
    from better_profanity import profanity

    profanity.load_censor_words()
    bp = timings(lambda: profanity.contains_profanity(text), max(10, args.runs // 5))

    p50, p99 = pct(ours, 0.5), pct(ours, 0.99)
    print(f"text: {len(text)} chars; lexicon: {len(terms)} generated terms "
          f"+ {len(lexicon_files((), ())) } seed files; matches: {len(verdict.evidence)}")
    print(f"matcher build ({len(terms)} terms):   {build_s:8.3f} s   (target < 1 s)")
    print(f"rule check p50:                  {p50:8.3f} ms  (target <= 2 ms)")
    print(f"rule check p99:                  {p99:8.3f} ms")
    print(f"naive loop p50:                  {pct(naive, 0.5):8.3f} ms  "
          f"ratio {pct(naive, 0.5) / p50:7.1f}x  (target >= 20x)")
    print(f"better-profanity p50:            {pct(bp, 0.5):8.3f} ms  "
          f"ratio {pct(bp, 0.5) / p50:7.1f}x  (default word list)")
    print(f"mean of ours: {statistics.mean(ours):.3f} ms over {len(ours)} runs")


if __name__ == "__main__":
    main()
