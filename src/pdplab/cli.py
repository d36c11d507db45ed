"""The ``pdplab`` command.

Exit codes: 0 done, 2 a user error (reported in one line), 1 an internal failure.
"""

from __future__ import annotations

import argparse
import json
import sys

from . import __version__
from .exceptions import PdplabError

__all__ = ["main"]


def info(path):
    """Print a results or weights file's dimensions, variables and provenance."""
    from .core.files import load

    ds = load(path)
    print(f"{path}")
    print("dimensions: " + ", ".join(f"{d}={n}" for d, n in ds.sizes.items()))
    print("variables:")
    for name, var in ds.data_vars.items():
        print(f"  {name} ({', '.join(var.dims)}) {var.dtype}")
    print("provenance:")
    for key, value in ds.attrs.items():
        if key in ("network", "training"):
            value = json.dumps(json.loads(value), indent=None)
        text = str(value)
        print(f"  {key}: {text if len(text) <= 200 else text[:197] + '...'}")


def build_parser():
    parser = argparse.ArgumentParser(prog="pdplab", description="Connectionist models trained with backpropagation.")
    parser.add_argument("--version", action="version", version=f"pdplab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p_info = sub.add_parser("info", help="describe a results or weights file")
    p_info.add_argument("file")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        if args.command == "info":
            info(args.file)
    except PdplabError as exc:
        print(f"pdplab: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
