"""``python -m bot``: the same command line as ``teambot``.

The command line lives with the adapters; the core never imports them. It is found
the way ``teambot`` itself is, through the installed ``console_scripts`` entry point.
"""

from __future__ import annotations

import sys
from importlib.metadata import entry_points


def main() -> int:
    found = entry_points(group="console_scripts", name="teambot")
    if not found:
        print("teambot: error: not installed (run `make run` or `pip install .`)", file=sys.stderr)
        return 2
    command = next(iter(found)).load()
    return int(command())


if __name__ == "__main__":
    sys.exit(main())
