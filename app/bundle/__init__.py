"""Hand-over bundles (``.zhutui``), merging many enterprises' bundles, backups and restore.

``archive`` reads and writes the zip safely, ``exchange`` exports and imports applications,
``backup`` makes the daily backups and restores a workspace, ``cli`` is ``zhutui bundle`` and
``zhutui restore``. Qt-free.
"""
