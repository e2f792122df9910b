"""Command line: `check-text` (and more). Exit codes: 0 safe, 1 flagged unsafe, 2 error."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .config import load_config
from .engine import Engine
from .errors import ConfigError, InputError, ProviderError
from .verdict import Verdict

EXIT_SAFE, EXIT_UNSAFE, EXIT_ERROR = 0, 1, 2


def _read_text(args: argparse.Namespace) -> str:
    if args.text and not args.file:
        return " ".join(args.text)
    if not args.file and sys.stdin.isatty():
        raise InputError("no text given: pass it as arguments, with --file, or on stdin")
    name = args.file if args.file and args.file != "-" else "<stdin>"
    try:
        raw = sys.stdin.buffer.read() if name == "<stdin>" else open(args.file, "rb").read()
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


def cmd_check_text(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    engine = Engine(config.policy(args.policy), config, mode=args.mode)
    verdict = engine.check_text(_read_text(args), user=args.user)
    _report(verdict, args.json)
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

    config = load_config(args.config)
    engine = Engine(config.policy(args.policy), config, mode=args.mode)
    files = _image_files(args.paths)
    if not files:
        raise InputError(f"no image files under {', '.join(args.paths)}")
    errors = unsafe = 0
    with tqdm(total=len(files), unit="image", file=sys.stderr, disable=None) as bar:
        for path in files:
            try:
                verdict = engine.check_file(path)
            except (InputError, ProviderError) as exc:
                errors += 1
                with tqdm.external_write_mode(file=sys.stdout):
                    if args.json:
                        print(json.dumps({"path": shown(path), "error": str(exc)}, ensure_ascii=False))
                    else:
                        print(f"{shown(path)}: error: {exc}", file=sys.stderr)
            else:
                unsafe += verdict.blocked
                with tqdm.external_write_mode(file=sys.stdout):
                    if args.json:
                        print(json.dumps({"path": shown(path), **verdict.to_dict()}, ensure_ascii=False))
                    else:
                        _report(verdict, False, shown(path))
            bar.update()
    return EXIT_ERROR if errors else EXIT_UNSAFE if unsafe else EXIT_SAFE


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--policy", help="policy name (lax, normal, strict or one from the config); "
                                    "default: the config's default_policy")
    p.add_argument("--config", help="config file (default: $COMFY_CONTENT_SAFETY_CONFIG)")
    p.add_argument("--mode", choices=("local", "remote", "auto"), default="local",
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
    _common(text)
    text.set_defaults(func=cmd_check_text)
    image = sub.add_parser("check-image", help="check image files or folders (recursively)")
    image.add_argument("paths", nargs="+", help="image files or folders")
    _common(image)
    image.set_defaults(func=cmd_check_image)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Exit 1 means "unsafe", so no failure may end in Python's default exit status 1."""
    for stream in (sys.stdout, sys.stderr):  # names with undecodable bytes must still print
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, InputError, ProviderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    except (MemoryError, RecursionError) as exc:
        print(f"error: the input is too large or too deeply nested to check "
              f"({type(exc).__name__})", file=sys.stderr)
    except Exception as exc:  # a bug, but still "not checked", never "unsafe"
        print(f"error: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
