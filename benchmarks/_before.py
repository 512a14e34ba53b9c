"""The package's code as it was at an earlier commit, for benchmarks that compare old and new."""
from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def module_at(commit: str, path: str):
    """``path`` (e.g. "analysis/frequency.py") as it was at ``commit``, read with git and loaded as a module
    of the analysis package (its relative imports use today's modules); None outside the repository."""
    try:
        source = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    name = f"analysis._{Path(path).stem}_at_{commit}"
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "analysis"
    module.__file__ = str(ROOT / path)  # for paths to its data files
    sys.modules[name] = module
    exec(compile(source, f"{commit}:{path}", "exec"), module.__dict__)
    return module


def package_at(rev: str, into: Path, name: str):
    """The whole ``analysis`` package as committed at ``rev``, extracted into ``into`` and imported as ``name``
    (beside today's package, so both run in one process)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "analysis"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    (Path(into) / "analysis").rename(Path(into) / name)
    sys.path.insert(0, str(into))
    return importlib.import_module(name)
