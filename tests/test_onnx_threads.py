"""`image.threads` / `image.spinning` reach the ONNX sessions; the defaults are the set-up
that wins beside a busy neighbour (bench/image.py --busy): one thread, not spinning."""

from __future__ import annotations

from pathlib import Path

import pytest
from content_safety_guard.safety import Engine
from content_safety_guard.safety.config import load_config
from content_safety_guard.safety.errors import ConfigError
from content_safety_guard.safety.settings.image import ImageSettings
from image_helpers import BLUE, build_classifier, solid, write_config


def session_of(tmp_path: Path, **image):
    build_classifier(tmp_path / "models")
    config = load_config(write_config(tmp_path, tmp_path / "models", ["model:tiny_cls"], image=image,
                                      name=f"c{len(image)}{sorted(image.items())}.yaml".replace(" ", "")))
    engine = Engine(config.policy(), config)
    assert engine.check_images([solid(8, 8, BLUE)])[0].is_safe
    return engine.image_checkers[0]._load().session


def options(session) -> tuple[int, str]:
    opts = session.get_session_options()
    return opts.intra_op_num_threads, opts.get_session_config_entry("session.intra_op.allow_spinning")


def test_defaults_are_one_thread_without_spinning(tmp_path: Path) -> None:
    assert (ImageSettings().threads, ImageSettings().spinning) == (1, False)
    assert options(session_of(tmp_path)) == (1, "0")


def test_config_settings_reach_the_session_and_each_set_up_has_its_own(tmp_path: Path) -> None:
    two = session_of(tmp_path, threads=2, spinning=True)
    assert options(two) == (2, "1")
    one_per_core = session_of(tmp_path, threads=0, spinning=False)
    assert one_per_core is not two and options(one_per_core) == (0, "0")


def test_bad_values_name_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="image.threads: must be between 0 and 256"):
        load_config(write_config(tmp_path, tmp_path, [], image={"threads": -1}))
    with pytest.raises(ConfigError, match="image.spinning: expected true or false"):
        load_config(write_config(tmp_path, tmp_path, [], image={"spinning": "yes"}))
