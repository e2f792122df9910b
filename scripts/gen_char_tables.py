"""Regenerate the character tables of safety/text/ that text normalisation uses:

- lookalikes.json: Cyrillic and Greek letters that Unicode's confusables list maps to a
  Latin letter (from the `confusable_homoglyphs` package);
- t2s.json: traditional -> simplified Chinese for every character OpenCC's `t2s`
  converts (normalisation converts one character at a time, so a character table is
  all of OpenCC it needs).

The pack ships the tables instead of importing the packages at run time: their imports
and OpenCC's dictionaries cost ~110 ms of start-up and first check, and the tables only
change with new releases of those packages.

    python scripts/gen_char_tables.py [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "safety" / "text"
CJK = [*range(0x3400, 0xD800), *range(0xE000, 0xFB00)]  # what normalize.py sends to t2s


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


def traditional_to_simplified() -> dict[str, str]:
    import opencc

    t2s = opencc.OpenCC("t2s")
    return {chr(cp): out for cp in CJK if (out := t2s.convert(chr(cp))) != chr(cp)}


TABLES = {"lookalikes.json": latin_lookalikes, "t2s.json": traditional_to_simplified}


def render(table: dict[str, str]) -> str:
    return json.dumps(table, ensure_ascii=False, sort_keys=True, indent=0) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a shipped table is stale")
    args = parser.parse_args()
    stale = []
    for name, make in TABLES.items():
        text = render(make())
        if args.check:
            if (FOLDER / name).read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            (FOLDER / name).write_text(text, encoding="utf-8")
            print(f"wrote {FOLDER / name}")
    if stale:
        print(f"stale: {', '.join(stale)}; run scripts/gen_char_tables.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
