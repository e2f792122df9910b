"""Combination rules: words harmless alone that are harmful together.

"child" and "lingerie" are each fine in a prompt; together they ask for sexualised
minors. A rule names groups of terms; a text that matches a term of every group within
`window` characters gets the rule's category and weight (a long essay that mentions
children in one paragraph and sex in another is no such request). Group terms go into
the lexicon's one automaton (same normalisation, word boundaries and allow-list), so a
rule costs no extra pass over the text.

File format (YAML, `combos*.yaml` in the seed folder or a lexicon folder):

    - name: minors_sexualised
      category: minors
      weight: 1.0
      window: 60          # characters that must hold a term of every group (default 60)
      groups:
        - [child, kid, 儿童]
        - [lingerie, sexy, 性感]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import takewhile
from pathlib import Path
from typing import Any


from ..errors import ConfigError
from ..files import read_data
from ..schema import Section
from ..taxonomy import CATEGORIES, is_category


@dataclass(frozen=True)
class Combo:
    name: str
    category: str
    weight: float
    groups: tuple[tuple[str, ...], ...]
    window: int = 60

    def group_id(self, index: int) -> str:
        return f"{self.name}/{index}"

    @cached_property
    def group_ids(self) -> frozenset[str]:
        return frozenset(self.group_id(g) for g in range(len(self.groups)))


def is_combo_file(name: str) -> bool:
    return name.startswith("combos") and name.endswith((".yaml", ".yml"))


def parse_combos(path: Path, raw: bytes | None = None) -> list[Combo]:
    source = str(path)
    data = read_data(path, "combination rules file", raw=raw)
    if not isinstance(data, list):
        raise ConfigError(f"{source}: expected a list of rules")
    return [_rule(item, f"[{i}]", source) for i, item in enumerate(data)]


def _rule(item: Any, where: str, source: str) -> Combo:
    sec = Section(item, where, source)
    name = sec.get("name", str)
    if not name:
        raise sec.fail("name", "missing")
    category = sec.get("category", str, "")
    if not is_category(category):
        raise sec.fail("category", f"unknown category {category!r}; expected one of {', '.join(CATEGORIES)}")
    weight = sec.get_number("weight", 1.0, 0.0, 1.0)
    window = int(sec.get_number("window", 60, 1, 100_000))
    raw = sec.get("groups", list, [])
    if len(raw) < 2:
        raise sec.fail("groups", "needs at least two groups of terms")
    groups = []
    for g, terms in enumerate(raw):
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            raise sec.fail(f"groups[{g}]", "expected a non-empty list of terms")
        groups.append(tuple(t.strip() for t in terms))
    sec.done()
    return Combo(name, category, weight, tuple(groups), window)


def fired(combo: Combo, hits: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The hits (start, end, group id) of one window where every group of `combo` has a
    match, or [] when there is none."""
    wanted = combo.group_ids
    mine = sorted(h for h in hits if h[2] in wanted)
    if {h[2] for h in mine} != wanted:  # a group never matched: no window can hold all
        return []
    for i, (start, _, _) in enumerate(mine):
        near = takewhile(lambda h: h[0] - start <= combo.window, mine[i:])  # sorted by start
        window = [h for h in near if h[1] - start <= combo.window]
        if {h[2] for h in window} == wanted:
            return window
    return []
