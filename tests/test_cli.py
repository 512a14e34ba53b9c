"""`make reports` (for now: the corpus summary) through the command line."""
import re
import subprocess
import sys

from conftest import ROOT, SEEDS


def run(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_summary_of_the_seed_corpus():
    result = run("summary", "--corpus", str(SEEDS))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Corpus" in out and "5 documents" in out
    for source in ("PanARMENIAN.Net", "Jamestown Foundation", "Caliber.az", "OpsLens"):
        assert source in out
    assert re.search(r"^\s*Jamestown Foundation\s+2\s+\d+\s+7[01]\s", out, re.MULTILINE)  # 2 documents, ~71 sentences
    for reason in ("social_menu", "share_widget", "other_headline", "duplicated_title", "after_article_end"):
        assert reason in out
    assert "Problems: 0" in out


def test_summary_names_a_missing_folder(tmp_path):
    result = run("summary", "--corpus", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "nowhere" in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
