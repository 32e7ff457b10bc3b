"""Score backends against the gold annotations: ``python eval/score.py [options]``.

The same entry point as ``jxcheck eval`` (``extractor.evalcmd``), for a
checkout where the console script is not installed; ``--help`` lists the options.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

try:
    from extractor import evalcmd
except ModuleNotFoundError:  # not installed: use the checkout this file lives in
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
    from extractor import evalcmd

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` as ``jxcheck eval`` does and run it."""
    parser = argparse.ArgumentParser(prog="eval/score.py", description=__doc__.splitlines()[0])
    evalcmd.add_arguments(parser)
    return evalcmd.main(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
