"""The frozen bundle's entry point (PyInstaller runs this file as ``__main__``).

The same command line as the installed ``zhutui``: no command opens the window, ``zhutui
FILE.zhutui`` opens the import preview, ``zhutui check …`` and the rest run the pipeline.
"""

import sys

from zhutui.cli import main

sys.exit(main())
