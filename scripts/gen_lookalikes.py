"""Regenerate safety/text/lookalikes.json: Cyrillic and Greek letters that Unicode's
confusables list maps to a Latin letter (from the `confusable_homoglyphs` package).

The pack ships the table instead of importing the package at run time: its import costs
~90 ms (it pulls in urllib and http) and the table never changes between Unicode updates.

    python scripts/gen_lookalikes.py [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "safety" / "text" / "lookalikes.json"


def latin_lookalikes() -> dict[str, str]:
    from confusable_homoglyphs import confusables

    table: dict[str, str] = {}
    for cp in [*range(0x370, 0x400), *range(0x400, 0x530)]:
        ch = chr(cp)
        for item in confusables.is_confusable(ch, preferred_aliases=["latin"], greedy=True) or ():
            latin = [h["c"] for h in item["homoglyphs"]
                     if len(h["c"]) == 1 and h["c"].isascii() and h["c"].isalpha()]
            if latin:
                table[ch] = latin[0].lower()
    return table


def render(table: dict[str, str]) -> str:
    return json.dumps(table, ensure_ascii=False, sort_keys=True, indent=0) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the shipped file is stale")
    args = parser.parse_args()
    text = render(latin_lookalikes())
    if args.check:
        return 0 if TARGET.read_text(encoding="utf-8") == text else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
