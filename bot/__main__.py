"""``python -m bot``: the same command line as ``teambot``."""

from __future__ import annotations

import sys

from bot.cli import main

sys.exit(main())
