"""``python -m zhutui`` does what the ``zhutui`` console script does."""

import sys

from zhutui.cli import main

sys.exit(main())
