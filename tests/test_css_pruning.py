"""analysis.report.css_pruning: which inline CSS a page keeps (the browser test, test_report_pages, shows it looks the same)."""
import re

from analysis.report.css_pruning import prune_css

CSS = """
/* JupyterLab's theme */
@import url(theme.css);
@charset "utf-8";
:root { --jp-used: var(--jp-inner); --jp-inner: 2px; --jp-unused: 3px; --jp-frame: 1s; --jp-inline: red;
        --jp-script: serif }
.jp-Cell, .jp-Missing { color: red !important; margin: var(--jp-used) }
.jp-Missing { color: blue }
#nowhere .jp-Cell { color: green }
#main > .jp-Cell:not(.jp-Missing) { padding: 0 }
.jp-Cell[data-kind=".jp-Missing"]::after { content: ".jp-Missing" }
p, div { line-height: 1.5 }
.jp-Cell { --jp-only-custom: 1px }
.jp-Cell { color: red; & .jp-Nested { color: blue } }
@media screen and (max-width: 600px) { .jp-Cell { margin: 0 } .jp-Missing { margin: 1px } }
@media print { .jp-Missing { display: none } }
@supports (display: grid) { @media (min-width: 1px) { #main { display: grid } } }
@keyframes spin { from { width: var(--jp-frame) } to { width: 0 } }
@layer base;
"""
PAGE = (f'<html><head><style type="text/css">{CSS}</style></head>'
        '<body><main id="main"><div class="jp-Cell jp-Mermaid" style="color: var(--jp-inline)"></div></main>'
        '<script>getComputedStyle(document.body).getPropertyValue("--jp-script"); el.classList.add("jp-Added")'
        '</script></body></html>')
PAGE_WITH_ADDED_CLASS_RULE = PAGE.replace("@layer base;", "@layer base;\n.jp-Added { color: red }")


def kept(page=PAGE):
    return re.search(r"<style[^>]*>(.*?)</style>", prune_css(page), re.S).group(1)


def test_rules_whose_classes_or_ids_are_missing_are_left_out():
    css = kept()
    assert ".jp-Cell, .jp-Missing{color:red!important;margin:var(--jp-used)}" in css   # one selector may match
    assert ".jp-Missing{color:blue}" not in css
    assert "#nowhere" not in css and "green" not in css
    assert "#main > .jp-Cell:not(.jp-Missing){padding:0}" in css     # pseudo-class arguments are not judged
    assert '.jp-Cell[data-kind=".jp-Missing"]::after{content:".jp-Missing"}' in css   # nor attributes, strings
    assert "p, div{line-height:1.5}" in css                           # elements are not judged
    assert ".jp-Added{color:red}" in kept(PAGE_WITH_ADDED_CLASS_RULE)  # a class a script adds
    assert "/*" not in css                                            # comments go


def test_unused_custom_properties_are_left_out_and_used_ones_kept():
    root = re.search(r":root\{(.*?)\}", kept()).group(1).split(";")
    assert "--jp-used:var(--jp-inner)" in root and "--jp-inner:2px" in root   # used, and what it uses
    assert "--jp-frame:1s" in root          # used by a @keyframes kept whole
    assert "--jp-inline:red" in root        # used by a style attribute
    assert "--jp-script:serif" in root      # read by a script
    assert "--jp-unused:3px" not in root
    assert "--jp-only-custom" not in kept()  # and a rule left with nothing goes


def test_at_rules_are_pruned_inside_or_kept_whole():
    css = kept()
    assert "@media screen and (max-width: 600px){.jp-Cell{margin:0}}" in css
    assert "@media print" not in css                               # nothing in it could apply
    assert "@supports (display: grid){@media (min-width: 1px){#main{display:grid}}}" in css
    assert "@keyframes spin { from { width: var(--jp-frame) } to { width: 0 } }" in css
    for statement in ("@import url(theme.css);", '@charset "utf-8";', "@layer base;"):
        assert statement in css
    assert ".jp-Cell { color: red; & .jp-Nested { color: blue } }" in css   # nested rules: body kept whole


def test_the_page_outside_its_style_elements_is_untouched_and_output_is_deterministic():
    out = prune_css(PAGE)
    assert out == prune_css(PAGE)
    assert re.sub(r"<style[^>]*>.*?</style>", "", out, flags=re.S) == re.sub(r"<style[^>]*>.*?</style>", "", PAGE,
                                                                            flags=re.S)
    assert prune_css(out) == out                                   # pruning again changes nothing
    assert prune_css("<p>no style</p>") == "<p>no style</p>"
