"""Long texts at the default `max_text_chars`: the time of a whole local check (lexicon,
combination rules, PII) for texts built to be slow: dense matches, leetspeak, a group of
a combination rule repeated, allow-listed phrases, phone numbers, e-mail addresses.

    python bench/text_long.py [--chars N]

Prints ms and us per character for each kind and the slowest one; the limit is chosen
so that the slowest stays well under 1 s on a busy 2-core machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safety import BUILTIN_POLICIES, Config, Engine  # noqa: E402

PIECES = {
    "prose": "the quick brown fox jumps over the lazy dog. ",
    "chinese": "一只敏捷的棕色狐狸跳过了懒狗。",
    "separators": "a.b.c.d.e.f.g ",
    "repeats": "aaaaaaaaab ",
    "ligatures": "ﬁﬂ café ",
    "phones": "13812345678 ",
    "emails": "a@b.cc ",
    "terms": "porn ",
    "leetspeak": "s3x p0rn ",
    "combo group": "child ",
    "combo pairs": "child sexy ",
    "allow-listed": "kill a python process ",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=BUILTIN_POLICIES["normal"].max_text_chars)
    args = parser.parse_args()
    engine = Engine(replace(BUILTIN_POLICIES["normal"], max_text_chars=args.chars), Config())
    engine.check_text("warm up: lexicon built, character tables learnt")
    worst = ("", 0.0)
    for kind, piece in PIECES.items():
        text = (piece * (args.chars // len(piece) + 1))[:args.chars]
        start = time.perf_counter()
        verdict = engine.check_text(text)
        took = time.perf_counter() - start
        worst = max(worst, (kind, took), key=lambda w: w[1])
        print(f"{kind:13} {args.chars} chars {took * 1000:8.1f} ms {took / args.chars * 1e6:6.2f} us/char "
              f"verdict {len(verdict.to_json()):6} bytes")
    print(f"slowest: {worst[0]} {worst[1] * 1000:.0f} ms at max_text_chars={args.chars}")


if __name__ == "__main__":
    main()
