"""Qt's own texts in Simplified Chinese: standard buttons (是/否/取消), the dialogs Qt draws, the
context menus of text fields, and Chinese dates and numbers in the widgets.

The translations ship inside PySide6 (``Qt/translations/qtbase_zh_CN.qm``); the frozen bundle
keeps them at the same place inside its PySide6 folder. They are installed whatever the
system's language is: the whole app speaks Chinese.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LOCALE = QLocale(QLocale.Language.Chinese, QLocale.Script.SimplifiedChineseScript, QLocale.Country.China)
CATALOGS = ("qtbase",)  # widgets, dialogs, standard buttons, context menus


def translation_dirs() -> list[Path]:
    """Where the ``.qm`` files may be: Qt's own answer, then the PySide6 package's folder."""
    import PySide6

    dirs = [
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        Path(PySide6.__file__).resolve().parent / "Qt" / "translations",
    ]
    return list(dict.fromkeys(dirs))


def install(app: QCoreApplication) -> list[str]:
    """Install the Chinese translations into ``app`` (once); the catalogs that were found."""
    QLocale.setDefault(LOCALE)
    loaded = []
    for catalog in CATALOGS:
        if app.findChild(QTranslator, catalog):
            loaded.append(catalog)
            continue
        translator = QTranslator(app)
        translator.setObjectName(catalog)
        if any(translator.load(LOCALE, catalog, "_", str(folder)) for folder in translation_dirs()):
            app.installTranslator(translator)
            loaded.append(catalog)
        else:
            translator.deleteLater()
    return loaded
