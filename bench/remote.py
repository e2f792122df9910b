"""Benchmark the Alibaba Cloud Green provider against the loopback emulator.

Measures, for the same TextModerationPlus request:
- the bare SDK call (what a hand-written integration costs),
- our checker (labels, evidence, policy verdict) and a full Engine built per check as
  the nodes do; the difference is the time the provider adds (target: < 2 ms),
- TCP connections opened at the emulator (connection reuse across checks),
- network round trips per text check (target: exactly 1).

Run: python bench/remote.py [--n 300]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import conftest  # noqa: E402,F401  (loads the pack as content_safety_guard)
from alibabacloud_green20220302 import models as green_models  # noqa: E402
from alibabacloud_green20220302.client import Client as SdkClient  # noqa: E402
from alibabacloud_tea_openapi import utils_models as openapi_models  # noqa: E402
from darabonba.runtime import RuntimeOptions  # noqa: E402

from content_safety_guard.safety import Engine  # noqa: E402
from emulator.helpers import AK_ID, AK_SECRET, config_for, start_green, stop_green  # noqa: E402

TEXT = "a watercolor fox in a snowy forest, badword-porn, soft morning light"


def _ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="checks per variant (default 300)")
    args = parser.parse_args()
    os.environ["ALIBABA_CLOUD_ACCESS_KEY_ID"] = AK_ID
    os.environ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = AK_SECRET
    green = start_green()
    try:
        cfg = config_for(green, read_timeout_s=5.0, connect_timeout_s=2.0)
        policy = cfg.policy("normal")
        sdk = SdkClient(openapi_models.Config(
            access_key_id=AK_ID, access_key_secret=AK_SECRET, region_id=green.region,
            endpoint=green.address, protocol="http", connect_timeout=2000, read_timeout=5000))

        def bare() -> None:
            request = green_models.TextModerationPlusRequest(
                service="ai_art_detection", service_parameters=json.dumps({"content": TEXT}))
            body = sdk.text_moderation_plus_with_options(request, RuntimeOptions()).body
            assert body.code == 200

        checker = Engine(policy, cfg, mode="remote").text_checkers[0]

        def provider() -> None:
            assert policy.decide(checker.check_text(TEXT)).blocked

        def engine() -> None:
            assert Engine(policy, cfg, mode="remote").check_text(TEXT).blocked

        for fn in (bare, provider, engine):  # warm up: imports, first connection
            for _ in range(20):
                fn()
        times: dict[str, list[float]] = {"bare": [], "provider": [], "engine": []}
        connections, requests = green.server.connections, green.server.requests
        for _ in range(args.n):  # interleaved so drift hits every variant alike
            times["bare"].append(_ms(bare))
            times["provider"].append(_ms(provider))
            times["engine"].append(_ms(engine))
        new_connections = green.server.connections - connections
        round_trips = (green.server.requests - requests) / (3 * args.n)
    finally:
        stop_green(green)

    med = {k: statistics.median(v) for k, v in times.items()}
    p90 = {k: statistics.quantiles(v, n=10)[-1] for k, v in times.items()}
    print(f"Green emulator on loopback, {args.n} checks per variant, interleaved")
    print(f"{'variant':<10} {'median ms':>10} {'p90 ms':>8}")
    for k in times:
        print(f"{k:<10} {med[k]:>10.3f} {p90[k]:>8.3f}")
    added = med["provider"] - med["bare"]
    added_engine = med["engine"] - med["bare"]
    print(f"added by the provider (checker - bare SDK):        {added:.3f} ms (target < 2 ms)")
    print(f"added by Engine per check (built per run, + check): {added_engine:.3f} ms")
    print(f"new TCP connections during {3 * args.n} checks: {new_connections}")
    print(f"network round trips per check: {round_trips:.2f}")
    ok = added < 2.0 and round_trips == 1.0 and new_connections <= 1
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
