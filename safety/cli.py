"""Command line: `check-text` (and more). Exit codes: 0 safe, 1 flagged unsafe, 2 error."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .audit.cli import add_commands, recording
from .config import load_config
from .decision import DECISION_HOOKS, Decision, HookError, action_for
from .engine import CHECK_MODES, Engine
from .errors import ConfigError, ContentSafetyError, InputError, ProviderError
from .policy import PROMPT_ROLES
from .verdict import Verdict, combine

EXIT_SAFE, EXIT_UNSAFE, EXIT_ERROR = 0, 1, 2


def _read_text(args: argparse.Namespace) -> str:
    if args.text and not args.file:
        return " ".join(args.text)
    if not args.file and sys.stdin.isatty():
        raise InputError("no text given: pass it as arguments, with --file, or on stdin")
    name = args.file if args.file and args.file != "-" else "<stdin>"
    try:
        raw = sys.stdin.buffer.read() if name == "<stdin>" else Path(args.file).read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start})") from None


def shown(path: os.PathLike[str] | str) -> str:
    """A file name as printable text: bytes that are not UTF-8 become `\\xff` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _report(verdict: Verdict, as_json: bool, label: str = "") -> None:
    if as_json:
        print(verdict.to_json())
        return
    prefix = f"{label}: " if label else ""
    cats = f" [{verdict.labels}]" if verdict.categories else ""
    print(f"{prefix}{verdict.level}{cats} score={verdict.score:.2f} "
          f"provider={verdict.provider} ({verdict.latency_ms:.1f} ms)")
    for item in verdict.evidence[:10]:
        print(f"  - {json.dumps(item, ensure_ascii=False)}")


class _Run:
    """One CLI check command: its config, and its engine once built. A check refused before
    or while it runs (an unknown policy, no credentials for a remote check) is a Decision
    too, so the audit trail shows it."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.config = load_config(args.config)
        self.policy = args.policy or self.config.default_policy

    def engine(self) -> Engine:
        return Engine(self.config.policy(self.args.policy), self.config, mode=self.args.mode)

    def emit(self, verdicts: Sequence[Verdict], *, text: str | None = None, inputs: tuple[str, ...] = (),
             user: str = "", error: Exception | None = None) -> None:
        """Every check of the CLI is a Decision for the hooks (audit trail), as a node run is."""
        payload = ContentSafetyError.from_exception(error, stage="cli").payload if error is not None else None
        action = "error" if error is not None else action_for(combine(verdicts), "blocked")
        DECISION_HOOKS.emit(Decision(stage="cli", action=action, verdicts=tuple(verdicts), policy=self.policy,
                                     mode=self.args.mode, user=user, text=text, inputs=inputs, error=payload))


REFUSED = (ProviderError, InputError, ConfigError)  # a check that could not give a verdict


def cmd_check_text(args: argparse.Namespace) -> int:
    run = _Run(args)
    text = _read_text(args)
    user = args.user or ""
    with recording(run.config):
        try:
            engine = run.engine()
            verdict = engine.check_text(text, user=args.user, role=args.role)
        except REFUSED as exc:
            run.emit((), text=text, user=user, error=exc)
            raise
        run.emit((verdict,), text=text, user=user)
    _report(verdict, args.json)
    if args.role == "negative" and not args.json and engine.policy.forced_negative:
        print(f"negative prompt: {engine.policy.negative_prompt(text)}")
    return EXIT_UNSAFE if verdict.blocked else EXIT_SAFE


def _image_files(paths: Sequence[str]) -> list[Path]:
    """Folders are searched recursively for image suffixes; files named on the command
    line are checked whatever their name (the decoder goes by content)."""
    from .image.decode import IMAGE_SUFFIXES

    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES)
        else:
            files.append(path)
    return files


def cmd_check_image(args: argparse.Namespace) -> int:
    """Audit images (e.g. an outputs folder): one line per file; exit 2 when any file could
    not be checked, else 1 when any is unsafe, else 0."""
    from tqdm import tqdm

    run = _Run(args)
    files = _image_files(args.paths)
    if not files:
        raise InputError(f"no image files under {', '.join(args.paths)}")
    errors = unsafe = 0
    with recording(run.config):
        try:
            engine = run.engine()
        except REFUSED as exc:  # no file can be checked: one refused decision for them all
            run.emit((), inputs=tuple(map(str, files)), error=exc)
            raise
        with tqdm(total=len(files), unit="image", file=sys.stderr, disable=None) as bar:
            for path in files:
                try:
                    verdict = engine.check_file(path)
                except ConfigError as exc:  # the same for every file: recorded, then the run stops
                    run.emit((), inputs=(str(path),), error=exc)
                    raise
                except (InputError, ProviderError) as exc:
                    run.emit((), inputs=(str(path),), error=exc)
                    errors += 1
                    with tqdm.external_write_mode(file=sys.stdout):
                        if args.json:
                            print(json.dumps({"path": shown(path), "error": str(exc)}, ensure_ascii=False))
                        else:
                            print(f"{shown(path)}: error: {exc}", file=sys.stderr)
                else:
                    run.emit((verdict,), inputs=(str(path),))
                    unsafe += verdict.blocked
                    with tqdm.external_write_mode(file=sys.stdout):
                        if args.json:
                            print(json.dumps({"path": shown(path), **verdict.to_dict()}, ensure_ascii=False))
                        else:
                            _report(verdict, False, shown(path))
                bar.update()
    return EXIT_ERROR if errors else EXIT_UNSAFE if unsafe else EXIT_SAFE


def cmd_label(args: argparse.Namespace) -> int:
    """Write a labelled copy of IN to OUT (format from OUT's suffix); a labelled IN is
    propagated: its producer fields stay, this service is added as the propagator."""
    from .labels.cli import label_copy

    config = load_config(args.config)
    config.policy(args.policy)  # an unknown policy is an error, not the default's labels
    record = label_copy(args.input, args.output, config.labels.for_policy(args.policy or config.default_policy))
    print(json.dumps(record, ensure_ascii=False))
    return EXIT_SAFE


def cmd_inspect(args: argparse.Namespace) -> int:
    """Report each file's declared AIGC label; exit 2 when any file could not be read."""
    from .labels.cli import inspect_paths

    config = load_config(args.config)
    return EXIT_ERROR if inspect_paths(args.files, args.json, config.labels.default) else EXIT_SAFE


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--policy", help="policy name (lax, normal, strict or one from the config); "
                                    "default: the config's default_policy")
    p.add_argument("--config", help="config file (default: $COMFY_CONTENT_SAFETY_CONFIG)")
    p.add_argument("--mode", choices=CHECK_MODES, default="local",
                   help="where checks run (default: local)")
    p.add_argument("--json", action="store_true", help="print the verdict as JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="content-safety", description="Content-safety checks from the command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    text = sub.add_parser("check-text", help="check text from arguments, --file or stdin")
    text.add_argument("text", nargs="*", help="the text (joined with spaces)")
    text.add_argument("--file", help="read the text from this file ('-' for stdin)")
    text.add_argument("--user", help="user id, for the policy's trusted_users")
    text.add_argument("--role", choices=PROMPT_ROLES, default="positive",
                      help="positive prompt (default) or negative prompt: the avoidance terms "
                           "of a negative prompt never block it")
    _common(text)
    text.set_defaults(func=cmd_check_text)
    image = sub.add_parser("check-image", help="check image files or folders (recursively)")
    image.add_argument("paths", nargs="+", help="image files or folders")
    _common(image)
    image.set_defaults(func=cmd_check_image)
    label = sub.add_parser("label", help="write a copy with AIGC labels (GB 45438-2025)")
    label.add_argument("input", help="the image to label")
    label.add_argument("output", help="where to write the copy: .png, .jpg/.jpeg or .webp")
    label.add_argument("--config", help="config file (default: $COMFY_CONTENT_SAFETY_CONFIG)")
    label.add_argument("--policy", help="whose labels settings apply (default: the config's default_policy)")
    label.set_defaults(func=cmd_label)
    inspect = sub.add_parser("inspect", help="report the AIGC labels files declare")
    inspect.add_argument("files", nargs="+", help="image files")
    inspect.add_argument("--json", action="store_true", help="one JSON object per file")
    inspect.add_argument("--config", help="config file, for labels.c2pa.trust_anchors")
    inspect.set_defaults(func=cmd_inspect)
    add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Exit 1 means "unsafe", so no failure may end in Python's default exit status 1."""
    for stream in (sys.stdout, sys.stderr):  # names with undecodable bytes must still print
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader left (`| head`): nothing more to say to anyone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (ConfigError, InputError, ProviderError, HookError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    except (MemoryError, RecursionError) as exc:
        print(f"error: the input is too large or too deeply nested to check "
              f"({type(exc).__name__})", file=sys.stderr)
    except Exception as exc:  # a bug, but still "not checked", never "unsafe"
        print(f"error: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
