"""职工创新助推申报助手 — core package.

Everything in this package except ``zhutui.gui`` is Qt-free: it can be imported, scripted and
tested without PySide6.
"""

__version__ = "0.6.1"
