"""``python -m zhutui.cli``: the same as ``zhutui``."""

import sys

from zhutui.cli import main

sys.exit(main())
