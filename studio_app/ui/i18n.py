"""UI language through Qt's translation system (English source strings, zh_CN catalogue)."""
from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from studio_app.core.paths import resource

SUPPORTED = ("zh_CN", "en")
_installed: list[QTranslator] = []


def resolve_language(setting: str | None) -> str:
    """``system`` (or empty) follows the system locale: Chinese locales get zh_CN, others English."""
    if setting in SUPPORTED:
        return setting
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def install(app: QApplication, setting: str | None) -> str:
    """Install the translators for the chosen language; returns the language used."""
    for tr in _installed:
        app.removeTranslator(tr)
    _installed.clear()
    lang = resolve_language(setting)
    QLocale.setDefault(QLocale(lang))
    if lang == "en":
        return lang
    ours = QTranslator(app)
    if ours.load(str(resource("translations", f"studio_console_{lang}.qm"))):
        app.installTranslator(ours)
        _installed.append(ours)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qtbase = QTranslator(app)
    if qtbase.load(f"qtbase_{lang}", qt_dir):  # Qt's own dialogs and buttons
        app.installTranslator(qtbase)
        _installed.append(qtbase)
    return lang
