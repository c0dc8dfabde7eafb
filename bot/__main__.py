"""``python -m bot``: the same command line as ``teambot``.

The program's door, not part of the core: nothing imports this module, and the
command line it starts lives with the adapters (tests/core/test_architecture.py
exempts it by name).
"""

from __future__ import annotations

import sys

from adapters.cli import main

sys.exit(main())
