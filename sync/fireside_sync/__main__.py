"""``python -m fireside_sync``: the same as ``fireside sync``."""

from __future__ import annotations

import sys

from fireside.commands.sync import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
