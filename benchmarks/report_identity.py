"""Are two report trees the same? Byte for byte, after removing what differs between any two runs.

    python benchmarks/report_identity.py REPORTS_A REPORTS_B     (also for two figures folders)

For a change that must not change behaviour (a refactor): run ``make reports REPORTS=/tmp/a FIGURES=/tmp/fa``
before it and ``make reports REPORTS=/tmp/b FIGURES=/tmp/fb`` after it, then compare /tmp/a with /tmp/b and
/tmp/fa with /tmp/fb. Two runs of the same code always differ in: the reports folder's own path (in the
injected parameters), papermill's random id of the injected-parameters cell, its clock readings (start, end,
duration of every cell), and the random ids of ipywidgets' models (07_explorer). These are removed (the
widget states are compared as a sorted list); everything else, every table, figure, page and output, must
be equal. Prints the files that differ; exit status 1 if any does.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

UUID = rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # nbconvert's output-area ids
MODEL_ID = r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])"  # an ipywidgets model id
WIDGET_STATE = rb'^\{"state": \{.*$'  # a rendered page's widget state: model id -> state, one line
INJECTED_CELL_ID = (rb'(celltag_injected-parameters" id="cell-id=)[0-9a-f]{8}',
                    rb'("id": ")[0-9a-f]{8}(",\s*"metadata": \{\s*"tags": \[\s*"injected-parameters")')


def _sorted_states(match: re.Match) -> bytes:
    """The widget states of a page as a sorted list, each with its model ids removed."""
    try:
        blob = json.loads(match.group(0).replace(b"\\/", b"/"))
    except ValueError:
        return match.group(0)
    states = (re.sub(MODEL_ID, "MODEL", json.dumps(v, sort_keys=True)) for v in blob.get("state", {}).values())
    return json.dumps(sorted(states)).encode()


def _without_clocks(data: bytes) -> bytes:
    """An executed notebook without papermill's clock readings, cell ids of injected parameters, widget state."""
    nb = json.loads(data)
    for key in ("start_time", "end_time", "duration"):
        nb["metadata"].get("papermill", {}).pop(key, None)
    nb["metadata"].pop("widgets", None)  # compared in the HTML page, where its states are sorted
    for cell in nb["cells"]:
        cell["metadata"].pop("papermill", None)
        cell["metadata"].pop("execution", None)
        if "injected-parameters" in cell["metadata"].get("tags", []):
            cell["id"] = "X"
    return json.dumps(nb, sort_keys=True).encode()


def normalised(data: bytes, root: Path, name: str) -> bytes:
    """A report file's bytes without what differs between any two runs of the same code."""
    data = data.replace(str(root).encode(), b"ROOT")
    data = re.sub(UUID, b"UUID", data)
    data = re.sub(WIDGET_STATE, _sorted_states, data, flags=re.M)
    data = re.sub(MODEL_ID.encode(), b"MODEL", data)
    if name.endswith(".ipynb"):
        data = _without_clocks(data)
    data = re.sub(INJECTED_CELL_ID[0], rb"\1X", data)
    return re.sub(INJECTED_CELL_ID[1], rb"\1X\2", data)


def main(a: Path, b: Path) -> int:
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    print("only in the first:", sorted(map(str, files_a - files_b))[:10])
    print("only in the second:", sorted(map(str, files_b - files_a))[:10])
    differ = [str(p) for p in sorted(files_a & files_b)
              if normalised((a / p).read_bytes(), a, str(p)) != normalised((b / p).read_bytes(), b, str(p))]
    print(f"{len(files_a & files_b)} files in both; {len(differ)} differ:", differ[:20])
    return 1 if differ or files_a != files_b else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
