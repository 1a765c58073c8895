"""Hand-over bundles (``.zhutui``), merging many enterprises' bundles, backups and restore.

``archive`` reads and writes the zip safely, ``exchange`` exports and imports applications,
``backup`` makes the daily backups and restores a workspace, ``cli`` is ``zhutui bundle`` and
``zhutui restore``. Qt-free.
"""

# A bundle's file name ends so (archive), and what an import does with an application the
# workspace already has (exchange): here, so that the command line builds its help without
# loading either.
SUFFIX = ".zhutui"
POLICIES = ("keep", "replace", "both")
