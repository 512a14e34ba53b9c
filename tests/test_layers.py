"""The package's layers (ARCHITECTURE.md): each folder imports only the layers below it, and the flat
layout's module paths still import the same modules."""
import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import analysis
from analysis import _compat

PACKAGE = Path(analysis.__file__).resolve().parent
# layer -> the layers (and shared modules) its modules may import, besides their own
ALLOWED = {
    "corpus": {"errors", "_package", "text.segment"},
    "text": {"errors", "_package"},
    "measures": {"errors", "_package", "text"},
    "framing": {"errors", "_package", "corpus", "text", "measures"},
    "report": {"errors", "_package", "corpus", "text", "measures", "framing"},
    "run": {"errors", "_package", "corpus", "text", "measures", "framing", "report"},
}


def _imports(path: Path) -> set[str]:
    """The analysis modules a file imports (relative imports resolved), as paths inside the package."""
    module = path.relative_to(PACKAGE).with_suffix("").parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(module[:-1])[:len(module) - node.level] if node.level > 1 else list(module[:-1])
            target = base + (node.module.split(".") if node.module else [])
            names = [a.name for a in node.names]
            found.update(".".join(target + [n]) if not node.module else ".".join(target) for n in names)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found.update(n.split(".", 1)[1] for n in names if n.startswith("analysis."))
    return found


def _layer_of(name: str) -> str:
    return name.split(".")[0]


def _allowed(layer: str, target: str) -> bool:
    rules = ALLOWED[layer] | {layer}
    return any(target == rule or target.startswith(rule + ".") for rule in rules)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer):
    wrong = []
    for path in sorted((PACKAGE / layer).glob("*.py")):
        for target in _imports(path):
            if not _allowed(layer, target):
                wrong.append(f"{path.relative_to(PACKAGE)} imports analysis.{target}")
    assert not wrong, "\n".join(wrong)


def test_the_layer_check_sees_a_wrong_import(tmp_path):
    # the check itself: a measures module importing a report module is caught, a relative import resolved
    bad = PACKAGE / "measures" / "_layer_probe.py"
    bad.write_text("from ..report.plotting import use_style\nfrom .stats import p_value\n", encoding="utf-8")
    try:
        targets = _imports(bad)
    finally:
        bad.unlink()
    assert targets == {"report.plotting", "measures.stats"}
    assert not _allowed("measures", "report.plotting") and _allowed("measures", "measures.stats")


def test_every_module_sits_in_a_layer_folder():
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top == {"__init__.py", "__main__.py", "_compat.py", "_package.py", "errors.py"}
    layers = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert layers == set(ALLOWED)
    for layer in layers:
        assert ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text())), layer


@pytest.mark.parametrize("old, new", sorted(_compat.MODULES.items()))
def test_flat_layout_paths_import_the_same_module(old, new):
    module = importlib.import_module(f"analysis.{new}")
    assert importlib.import_module(f"analysis.{old}") is module
    assert getattr(analysis, old) is module
    assert module.__spec__.name == f"analysis.{new}"  # the alias does not rename the module


def test_old_paths_work_in_a_fresh_interpreter():
    # the notebooks' forms: from-imports of modules, module attributes, a patched setting seen through both
    code = ("from analysis import plotting, reporting\nimport analysis.outlets\nfrom analysis.frequency import kwic\n"
            "import analysis\nfrom analysis.measures import frequency\n"
            "assert kwic is frequency.kwic and plotting is analysis.report.plotting\n"
            "analysis.pipeline.ALIGN_CHUNK_PROBE = 1\nassert analysis.run.pipeline.ALIGN_CHUNK_PROBE == 1\n"
            "from analysis.corpus import LINE_COLUMNS, read_corpus\nassert read_corpus is analysis.read_corpus\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PACKAGE.parent)


def test_an_unknown_attribute_is_still_an_error():
    with pytest.raises(AttributeError, match="no attribute 'frequencies'"):
        analysis.frequencies
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("analysis.frequencies")
