"""Benchmark the local NudeNet path, all in one process so the ratios compare like with like.

Per image, at 512x512, 1024x1024 and 768x1344 (width x height):
- ours:    Engine.check_images([image]) with the built-in NudeNet checker (letterbox,
           one session call, NMS, verdict),
- nudenet: the `nudenet` package's NudeDetector.detect on the same pixels (BGR array),
- bare:    session.run on a ready 1x3x320x320 tensor: the floor nobody can beat.
Then a batch of 16 images in one check_images call against 16 single calls, with the
bare session's own batch gain beside it. `--ceiling` adds what other onnxruntime
set-ups would give on this machine (none is shipped; each breaks another target or rule).

The methods run interleaved, round after round; the ratios are medians of the ratios of
neighbouring runs, so load from other processes hits both sides alike. "outside session"
is the CPU time of our own per-image work. Targets: ours <= 1.10 x bare, ours <= 0.9 x
nudenet, batch throughput >= 1.3 x sequential.

`--busy` instead compares the session set-ups of `image.threads` / `image.spinning`
(single-image latency and batch-of-16 throughput, relative to onnxruntime's own default
of one spinning thread per core) on an idle machine and beside a busy neighbour process
(as a generation running next to the check: numpy matrix products on every core); the
config's defaults are the set-up that wins beside the neighbour.

    python bench/image.py [--rounds 25] [--batch-rounds 5] [--ceiling]
    python bench/image.py --busy [--rounds 12]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import conftest  # noqa: F401  (loads the pack as content_safety_guard)
from content_safety_guard.safety import Config, Engine
from content_safety_guard.safety.settings.image import ImageSettings
from content_safety_guard.safety.policy import BUILTIN_POLICIES
from nudenet import NudeDetector

SIZES = [(512, 512), (1024, 1024), (768, 1344)]  # width, height
BATCH = 16
PAUSE_S = 0.02


def photo_like(width: int, height: int, seed: int) -> np.ndarray:
    """Smooth colour fields with edges: a stand-in for a generated image."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (max(2, height // 24), max(2, width // 24), 3), np.uint8)
    return np.asarray(Image.fromarray(small).resize((width, height), Image.Resampling.BICUBIC))


def timed(fn: Callable[[], object]) -> float:
    """Wall time of one call. The pause before it lets the worker threads of the previous
    call's session stop spinning, so two sessions do not fight over the cores."""
    time.sleep(PAUSE_S)
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def outside_session(model, image: np.ndarray, runs: int = 30) -> float:
    """CPU time of our own work per image (letterbox, tensor, NMS): it runs in this thread,
    so the thread's CPU clock measures it without the noise of other processes."""
    output = model.run(model.preprocess([image]))
    start = time.thread_time()
    for _ in range(runs):
        model.preprocess([image])
        model.postprocess(output[0], image.shape[0], image.shape[1])
    return (time.thread_time() - start) * 1000 / runs


def new_session(path: str, threads: int = 0, spinning: bool = True) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    if not spinning:
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def ceiling(path: str, session: ort.InferenceSession, tensors: np.ndarray, rounds: int) -> None:
    """Throughput of the batch under other session set-ups, against the shipped session's
    16 single calls, and what each costs a single image. Bare session calls only: the
    preprocessing is the same for all."""
    name = session.get_inputs()[0].name
    one_thread = new_session(path, threads=1)
    no_spin = new_session(path, spinning=False)
    pool = [new_session(path, threads=1) for _ in range(2)]
    workers = ThreadPoolExecutor(8)

    def concurrent(sessions: list[ort.InferenceSession], parts: int) -> None:
        chunks = np.array_split(tensors, parts)
        list(workers.map(lambda i: sessions[i % len(sessions)].run(None, {name: chunks[i]}), range(parts)))

    setups: dict[str, tuple[Callable[[], object], Callable[[], object]]] = {
        "shipped: 16 single calls": (lambda: [session.run(None, {name: t[None]}) for t in tensors],
                                     lambda: session.run(None, {name: tensors[:1]})),
        "shipped: one batch call": (lambda: session.run(None, {name: tensors}),
                                    lambda: session.run(None, {name: tensors[:1]})),
        "one 1-thread session, 2 calls at once": (lambda: concurrent([one_thread], 2),
                                                  lambda: one_thread.run(None, {name: tensors[:1]})),
        "one session without spinning, 8 at once": (lambda: concurrent([no_spin], 8),
                                                    lambda: no_spin.run(None, {name: tensors[:1]})),
        "two 1-thread sessions (a pool), 2 at once": (lambda: concurrent(pool, 2),
                                                      lambda: pool[0].run(None, {name: tensors[:1]})),
    }
    batch_ms: dict[str, list[float]] = {k: [] for k in setups}
    single_ms: dict[str, list[float]] = {k: [] for k in setups}
    for round_ in range(rounds + 1):
        for label, (batch, single) in setups.items():
            times = timed(batch), timed(single)
            if round_ >= 1:
                batch_ms[label].append(times[0])
                single_ms[label].append(times[1])
    base_batch = batch_ms["shipped: 16 single calls"]
    base_single = single_ms["shipped: 16 single calls"]
    print(f"\nceiling of batch throughput (--ceiling, {rounds} rounds, against the shipped 16 single calls):")
    print(f"{'set-up':<44}{'throughput':>11}{'one image':>11}")
    for label in setups:
        gain = statistics.median(b / o for b, o in zip(base_batch, batch_ms[label]))
        cost = statistics.median(o / b for b, o in zip(base_single, single_ms[label]))
        print(f"{label:<44}{gain:>10.2f}x{cost:>10.2f}x")
    print("('one image' is its latency against the shipped session's; >1 is slower)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=25, help="timed rounds per size (default 25)")
    parser.add_argument("--batch-rounds", type=int, default=5, help="timed batch rounds (default 5)")
    parser.add_argument("--ceiling", action="store_true",
                        help="also measure other session set-ups' batch throughput")
    parser.add_argument("--busy", action="store_true",
                        help="compare image.threads / image.spinning idle and beside a busy process")
    args = parser.parse_args()
    if args.busy:
        return threading_table(args.rounds)

    config = Config(image=ImageSettings(batch_size=BATCH))
    policy = BUILTIN_POLICIES["normal"]
    engine = Engine(policy, config)
    checker = engine.image_checkers[0]
    checker.check_images([photo_like(64, 64, 0)])  # loads the shared session
    model = checker._load()
    session, input_name = model.session, model.input_name
    reference = NudeDetector()

    print(f"CPU cores: {os.cpu_count()}, onnxruntime providers: {session.get_providers()}")
    print(f"{'size (WxH)':<12}{'ours ms':>9}{'nudenet ms':>12}{'bare ms':>9}{'ours/bare':>11}"
          f"{'ours/nudenet':>14}{'outside session':>17}")
    worst_bare = worst_nudenet = 0.0
    for width, height in SIZES:
        image = photo_like(width, height, width + height)
        bgr = np.ascontiguousarray(image[..., ::-1])
        tensor = model.preprocess([image])
        runs: dict[str, list[float]] = {"ours": [], "nudenet": [], "bare": []}
        steps = {"ours": lambda image=image: engine.check_images([image]),
                 "nudenet": lambda bgr=bgr: reference.detect(bgr),
                 "bare": lambda tensor=tensor: session.run(None, {input_name: tensor})}
        for round_ in range(args.rounds + 2):
            for name, step in steps.items():
                elapsed = timed(step)
                if round_ >= 2:  # two warm-up rounds
                    runs[name].append(elapsed)
        ours, theirs, bare = (statistics.median(runs[k]) for k in ("ours", "nudenet", "bare"))
        # ratios of neighbouring runs: load from other processes hits both sides alike
        vs_bare = statistics.median(o / b for o, b in zip(runs["ours"], runs["bare"]))
        vs_nudenet = statistics.median(o / n for o, n in zip(runs["ours"], runs["nudenet"]))
        worst_bare, worst_nudenet = max(worst_bare, vs_bare), max(worst_nudenet, vs_nudenet)
        print(f"{f'{width}x{height}':<12}{ours:>9.1f}{theirs:>12.1f}{bare:>9.1f}{vs_bare:>11.3f}"
              f"{vs_nudenet:>14.3f}{outside_session(model, image):>14.2f} ms")

    images = [photo_like(512, 512, seed) for seed in range(BATCH)]
    tensors = model.preprocess(images)
    single_tensors = [tensors[i:i + 1] for i in range(BATCH)]
    seq, batch, bare_seq, bare_batch = [], [], [], []
    for round_ in range(args.batch_rounds + 1):
        times = (timed(lambda: [engine.check_images([img]) for img in images]),
                 timed(lambda: engine.check_images(images)),
                 timed(lambda: [session.run(None, {input_name: t}) for t in single_tensors]),
                 timed(lambda: session.run(None, {input_name: tensors})))
        if round_ >= 1:
            for store, value in zip((seq, batch, bare_seq, bare_batch), times):
                store.append(value)
    gain = statistics.median(s / b for s, b in zip(seq, batch))
    bare_gain = statistics.median(s / b for s, b in zip(bare_seq, bare_batch))
    print(f"\nbatch of {BATCH} at 512x512: 16 single calls {statistics.median(seq):.0f} ms, "
          f"one batch call {statistics.median(batch):.0f} ms -> throughput x{gain:.2f} "
          f"(bare session: x{bare_gain:.2f})")

    print("\ntargets:")
    for label, value, target, ok in (
            ("ours / bare session (worst size)", worst_bare, "<= 1.10", worst_bare <= 1.10),
            ("ours / nudenet package (worst size)", worst_nudenet, "<= 0.90", worst_nudenet <= 0.90),
            ("batch throughput / sequential", gain, ">= 1.30", gain >= 1.30)):
        print(f"  {label:<38}{value:>7.3f}  {target}  {'met' if ok else 'NOT met'}")
    if args.ceiling:
        ceiling(str(model.spec.path), session, tensors, max(args.batch_rounds, 8))
    return 0


def neighbour(stop: multiprocessing.synchronize.Event) -> None:
    """A generation's stand-in: matrix products on every core until told to stop."""
    a = np.random.default_rng(0).random((384, 384), dtype=np.float32)
    while not stop.is_set():
        a = (a @ a) / np.float32(384)


SETUPS = [(0, True), (0, False), (1, True), (1, False)]  # (threads, spinning); 0 = one per core


def threading_table(rounds: int) -> int:
    images = [photo_like(512, 512, seed) for seed in range(BATCH)]
    engine = Engine(BUILTIN_POLICIES["normal"], Config())
    model = engine.image_checkers[0]._load()
    spec = model.spec
    tensors = model.preprocess(images)
    one = tensors[:1]
    sessions = {setup: new_session(str(spec.path), *setup) for setup in SETUPS}
    name = model.input_name
    print(f"CPU cores: {os.cpu_count()}; per set-up: single 512x512 image ms, batch of {BATCH} "
          f"images/s; ratios to onnxruntime's default (threads 0, spinning on) in the same round")
    for busy in (False, True):
        stop = multiprocessing.Event()
        workers = [multiprocessing.Process(target=neighbour, args=(stop,)) for _ in range(os.cpu_count() or 1)] \
            if busy else []
        for worker in workers:
            worker.start()
        try:
            single: dict[tuple[int, bool], list[float]] = {s: [] for s in SETUPS}
            batch: dict[tuple[int, bool], list[float]] = {s: [] for s in SETUPS}
            for round_ in range(rounds + 1):
                for setup, sess in sessions.items():
                    s_ms = timed(lambda sess=sess: sess.run(None, {name: one}))
                    b_ms = timed(lambda sess=sess: sess.run(None, {name: tensors}))
                    if round_:
                        single[setup].append(s_ms)
                        batch[setup].append(b_ms)
        finally:
            stop.set()
            for worker in workers:
                worker.join()
        print(f"\n{'beside a busy process' if busy else 'idle'}:")
        print(f"{'threads':>8}{'spinning':>10}{'single ms':>11}{'x default':>11}{'batch img/s':>13}{'x default':>11}")
        base = SETUPS[0]
        for setup in SETUPS:
            lat = statistics.median(single[setup])
            thr = BATCH * 1000 / statistics.median(batch[setup])
            lat_ratio = statistics.median(a / b for a, b in zip(single[setup], single[base]))
            thr_ratio = statistics.median(b / a for a, b in zip(batch[setup], batch[base]))
            print(f"{setup[0]:>8}{'on' if setup[1] else 'off':>10}{lat:>11.1f}{lat_ratio:>11.2f}"
                  f"{thr:>13.1f}{thr_ratio:>11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
