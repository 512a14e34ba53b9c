"""The module paths of the flat layout (``analysis.frequency``, ``analysis.plotting`` ...), still importable.

Until the layers got folders of their own, every module sat directly in ``analysis/``, and notebooks,
scripts and papers' replication code import them by those paths (``from analysis import plotting``,
``import analysis.outlets``, ``from analysis.frequency import kwic``). Each old path is an alias of the
module's new home: the same module object, so a setting made or a function patched through either path is
seen through both. An alias is imported only when it is first used, as the module itself would be.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys

# old name (analysis.<old>) -> the module's home since the layered layout (analysis.<new>)
MODULES = {
    "reading": "corpus.reading", "htmlpages": "corpus.htmlpages", "manifest": "corpus.manifest",
    "dates": "corpus.dates", "outlets": "corpus.outlets", "bylines": "corpus.bylines",
    "main_text": "corpus.main_text", "cleaning": "corpus.cleaning", "items": "corpus.items",
    "templates": "corpus.templates", "periods": "corpus.periods",
    "segment": "text.segment", "lexicon": "text.lexicon", "actors": "text.actors", "coverage": "text.coverage",
    "frequency": "measures.frequency", "stats": "measures.stats", "dfm": "measures.dfm",
    "collocations_lambda": "measures.collocations_lambda", "resampling": "measures.resampling",
    "sentiment": "measures.sentiment", "network": "measures.network", "reuse": "measures.reuse",
    "frames": "framing.frames", "dictionary": "framing.dictionary", "naming": "framing.naming",
    "quotes": "framing.quotes", "speakers": "framing.speakers", "topics": "framing.topics",
    "over_time": "framing.over_time", "validation": "framing.validation",
    "plotting": "report.plotting", "reporting": "report.reporting", "summary": "report.summary",
    "explorer": "report.explorer", "termmap": "report.termmap", "css_pruning": "report.css_pruning",
    "pipeline": "run.pipeline", "distributed": "run.distributed", "store": "run.store",
    "runner": "run.runner", "cli": "run.cli",
}
# (``analysis.corpus`` was a module and is now the corpus layer's package, which re-exports its names.)


class _AliasLoader(importlib.abc.Loader):
    """Loads ``analysis.<old>`` as the module already at its new path (imported first if need be)."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.spec = None

    def create_module(self, spec):
        real = importlib.import_module(self.target)
        self.spec = real.__spec__
        return real

    def exec_module(self, module) -> None:
        module.__spec__ = self.spec  # the import system has just set the alias's spec; the module keeps its own


class _AliasFinder(importlib.abc.MetaPathFinder):
    def __init__(self, package: str) -> None:
        self.prefix = package + "."
        self.package = package

    def find_spec(self, fullname, path=None, target=None):
        old = fullname[len(self.prefix):] if fullname.startswith(self.prefix) else None
        if old not in MODULES:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(f"{self.package}.{MODULES[old]}"))


def install(package: str) -> None:
    """Make ``package.<old>`` import the module at ``package.<new>`` for every old name (once per process)."""
    if not any(isinstance(f, _AliasFinder) and f.package == package for f in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder(package))


def module(package: str, name: str):
    """``package.<name>`` by its old name (the package's ``__getattr__``), or None when it is no old name."""
    if name not in MODULES:
        return None
    return importlib.import_module(f"{package}.{name}")
