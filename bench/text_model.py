"""Benchmark of the built-in text model (`textmodel`: both halves) and of the whole local cascade.

Short image prompts in Chinese and English (benign, so no checker short-circuits; each
run gets a new text, so no cache answers) and
one 2,000-character prompt. Peers run in the same process (the machines are noisy, so
only the ratios are comparable across runs): the lexicon checker alone on the same
prompts, each half of the model alone (`model:textmodel`, the n-gram half;
`model:contextmodel`, the English encoder, which reads at most 128 tokens), and the
n-gram half's featuriser.

    python bench/text_model.py [--runs 2000]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from text_rules import pct, timings  # noqa: E402

from safety import BUILTIN_POLICIES, Config, Engine  # noqa: E402
from safety.text.hashing import features  # noqa: E402
from safety.text.model_spec import find_text_model  # noqa: E402

PROMPTS = [
    "a watercolor of a lighthouse on a cliff, soft morning light",
    "masterpiece, best quality, a girl standing in a garden at sunset, 8k",
    "一只可爱的橘色猫咪在窗台上晒太阳，高清",
    "cinematic shot of a cyberpunk city at night, neon, rain",
    "儿童街舞课堂，明亮的教室，孩子们在跳舞",
    "portrait of an old fisherman, oil painting, dramatic lighting",
    "古风美女在樱花树下赏花，杰作，最佳质量",
    "a red sports car on a mountain road, photorealistic",
]
LONG = ", ".join(itertools.islice(itertools.cycle(PROMPTS), 60))[:2000]  # mixed: the n-gram half alone
LONG_EN = ", ".join(itertools.islice(itertools.cycle(p for p in PROMPTS if p.isascii()), 60))[:2000]


def p50(fn, runs: int) -> float:
    return pct(timings(fn, runs), 0.5)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2000)
    args = ap.parse_args()
    config = Config()
    normal = BUILTIN_POLICIES["normal"]
    model = Engine(replace(normal, text_checkers=("textmodel",)), config)
    words = Engine(replace(normal, text_checkers=("model:textmodel",)), config)
    context = Engine(replace(normal, text_checkers=("model:contextmodel",)), config)
    lexicon = Engine(replace(normal, text_checkers=("lexicon",)), config)
    cascade = Engine(normal, config)
    spec, context_spec = find_text_model("textmodel", config), find_text_model("contextmodel", config)
    # a fresh text every run: no checker may answer from a cache of earlier texts
    prompts = (f"{text}, seed {i}" for i, text in enumerate(itertools.cycle(PROMPTS)))
    english = (f"{text}, seed {i}" for i, text in enumerate(itertools.cycle(p for p in PROMPTS if p.isascii())))
    chinese = (f"{text}，种子 {i}" for i, text in enumerate(itertools.cycle(p for p in PROMPTS if not p.isascii())))
    for engine in (model, words, context, lexicon, cascade):  # warm: sessions, automata, caches
        for text in PROMPTS + [LONG, LONG_EN]:
            engine.check_text(text)

    rows = [
        ("textmodel, short prompt", p50(lambda: model.check_text(next(prompts)), args.runs)),
        ("  English prompts (both halves)", p50(lambda: model.check_text(next(english)), args.runs)),
        ("  Chinese prompts (the n-gram half)", p50(lambda: model.check_text(next(chinese)), args.runs)),
        ("  n-gram half alone", p50(lambda: words.check_text(next(prompts)), args.runs)),
        ("  its featuriser alone", p50(lambda: features(next(prompts), spec.hashing), args.runs)),
        ("  English half alone", p50(lambda: context.check_text(next(prompts)), args.runs)),
        ("lexicon, short prompt (peer)", p50(lambda: lexicon.check_text(next(prompts)), args.runs)),
        (f"normal cascade {'+'.join(normal.text_checkers)}, short", p50(lambda: cascade.check_text(next(prompts)), args.runs)),
        ("textmodel, 2,000 chars zh/en", p50(lambda: model.check_text(LONG), args.runs // 4)),
        ("textmodel, 2,000 chars English", p50(lambda: model.check_text(LONG_EN), args.runs // 4)),
        ("lexicon, 2,000 chars (peer)", p50(lambda: lexicon.check_text(LONG), args.runs // 4)),
    ]
    files = (spec.path, spec.sidecar, *spec.arrays.values(), context_spec.path, context_spec.sidecar,
             context_spec.tokenizer)
    size = sum(p.stat().st_size for p in files if p) / 1e6
    print(f"model: {spec.path.name} + {len(spec.arrays)} arrays, {context_spec.path.name} + tokenizer, sidecars: "
          f"{size:.1f} MB (target <= 30 MB); "
          f"{len(PROMPTS)} short prompts, {args.runs} runs")
    peer = rows[6][1]
    for name, ms in rows:
        print(f"{name:<44}{ms:8.3f} ms p50   {ms / peer:5.2f}x the lexicon")
    print("targets: textmodel <= 2 ms per prompt; whole local cascade on a short prompt < 3 ms p50")


if __name__ == "__main__":
    main()
