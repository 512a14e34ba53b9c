"""The CSS a page can use: a rendered report page without the inline CSS that cannot apply to it.

nbconvert's lab template inlines all of JupyterLab's CSS (about 260 KB a page),
most of it for widgets, menus, editors and icons a static report never has.
:func:`prune_css` leaves out the style rules whose selectors name classes or ids
the page lacks and the custom properties (``--jp-...``) nothing uses. The CSS is
read with tinycss2 (the CSS Syntax Level 3 parser nbconvert's sanitiser already
brings); only the decisions are ours, and when in doubt a rule is kept.
"""
from __future__ import annotations

import html
import re

import tinycss2
from tinycss2.ast import AtRule, Declaration, QualifiedRule

__all__ = ["prune_css"]

_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
_CLASS_ATTR = re.compile(r"\bclass\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ID_ATTR = re.compile(r"\bid\s*=\s*[\"']([^\"']*)[\"']")
_STYLE_ATTR = re.compile(r"\bstyle\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_SCRIPT = re.compile(r"<script[^>]*>(.*?)</script>", re.S)
_SCRIPT_CLASS = re.compile(r"[\"'.](jp-[A-Za-z0-9_-]+)")
_SCRIPT_PROPERTY = re.compile(r"(--[A-Za-z_][A-Za-z0-9_-]*)")
_VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")
# at-rules holding style rules: pruned inside (other at-rules, @keyframes, @font-face, @page..., stay whole)
_GROUPING_AT_RULES = frozenset({"media", "supports", "layer", "container", "document"})


def prune_css(page: str) -> str:
    """``page`` (an HTML page) with the inline CSS that cannot apply to it left out.

    Kept, in each ``<style>`` element, in the order written:

    - a style rule when one of its comma-separated selectors could match: every
      class (``.x``) and id (``#x``) it names occurs in the page's ``class`` and
      ``id`` attributes, or is a ``jp-`` class a script of the page may add (the
      template's mermaid loader). Elements, attribute selectors, pseudo-classes
      and their arguments (``:not(.x)``, ``:is(...)``) are not judged, so they
      never remove a rule;
    - in a kept rule, every declaration but the custom properties nobody uses.
      A custom property is used when a kept declaration, a kept at-rule, another
      used property, the page's ``style`` attributes or its scripts
      (``getPropertyValue("--jp-...")``) name it;
    - @media, @supports, @layer, @container and @document blocks with what they
      hold pruned the same way (left out when nothing stays);
    - every other at-rule whole (@import, @keyframes, @font-face, @page...), and
      a style rule's body whole when it holds anything but plain declarations
      (nested rules, syntax the parser rejects): nothing there is judged.

    Left out besides: comments, and what the CSS parser reports as an invalid
    rule (a browser ignores it too). The result depends only on the page (same
    page, same bytes); the browser test shows pages look the same.
    """
    markup = _STYLE.sub("", page)
    classes = {name for attr in _CLASS_ATTR.findall(markup) for name in _unescaped(" ".join(attr)).split()}
    ids = {name for value in _ID_ATTR.findall(markup) for name in (value, html.unescape(value))}
    used: set[str] = {name for attr in _STYLE_ATTR.findall(markup) for name in _VAR.findall(" ".join(attr))}
    for script in _SCRIPT.findall(page):
        classes |= set(_SCRIPT_CLASS.findall(script))
        used |= set(_SCRIPT_PROPERTY.findall(script))

    sheets = [_kept_rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), classes, ids)
              for css in (match.group(2) for match in _STYLE.finditer(page))]

    # custom properties: those used by kept rules, the page's style attributes and scripts, and those they use
    defined: dict[str, list[list]] = {}
    for sheet in sheets:
        for node in _walk(sheet):
            if isinstance(node, Declaration) and node.name.startswith("--"):
                defined.setdefault(node.name, []).append(node.value)
            elif isinstance(node, Declaration):
                used.update(_var_names(node.value))
            else:  # an at-rule or a style rule kept whole
                used.update(_var_names(node.prelude))
                used.update(_var_names(node.content or []))
    frontier = sorted(used)
    while frontier:
        for value in defined.get(frontier.pop(), []):
            for name in _var_names(value):
                if name not in used:
                    used.add(name)
                    frontier.append(name)

    pruned = iter([_serialise(sheet, used) for sheet in sheets])
    return _STYLE.sub(lambda m: m.group(1) + "\n" + next(pruned) + "\n" + m.group(3), page)


def _unescaped(value: str) -> str:
    """An attribute value and its HTML-unescaped form (both, so that neither spelling loses a rule)."""
    plain = html.unescape(value)
    return value if plain == value else f"{value} {plain}"


def _kept_rules(rules: list, classes: set[str], ids: set[str]) -> list:
    """The rules that could apply, as ``(rule, declarations)`` for style rules with plain declarations,
    ``(rule, [kept rules])`` for grouping at-rules, ``(rule, None)`` for what is kept whole."""
    kept = []
    for rule in rules:
        if isinstance(rule, QualifiedRule):
            if any(_could_match(selector, classes, ids) for selector in _split(rule.prelude, ",")):
                body = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
                plain = all(isinstance(item, Declaration) for item in body)
                kept.append((rule, body if plain else None))
        elif isinstance(rule, AtRule):
            if rule.lower_at_keyword in _GROUPING_AT_RULES and rule.content is not None:
                inner = _kept_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True),
                                    classes, ids)
                if inner:
                    kept.append((rule, inner))
            else:
                kept.append((rule, None))
        # else a parse error (an invalid rule): a browser ignores it, and so do we
    return kept


def _could_match(selector: list, classes: set[str], ids: set[str]) -> bool:
    """Whether a selector (its tokens) could match in the page: every class and id it names at its top level
    is in the page. Blocks (attribute selectors, pseudo-class arguments) are not looked into."""
    previous = None
    for token in selector:
        if token.type == "hash" and token.value not in ids:
            return False
        if token.type == "ident" and previous is not None and previous.type == "literal" and previous.value == "." \
                and token.value not in classes:
            return False
        previous = token
    return True


def _split(tokens: list, separator: str) -> list[list]:
    """``tokens`` split at the top-level literal ``separator`` (tinycss2 keeps blocks as single tokens)."""
    parts = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == separator:
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def _walk(kept: list):
    """Every declaration of the kept plain style rules, and every rule kept whole."""
    for rule, inside in kept:
        if inside is None:
            yield rule
        elif isinstance(rule, QualifiedRule):
            yield from inside
        else:
            yield from _walk(inside)


def _var_names(tokens):
    """The custom properties ``var()`` names in ``tokens``, at any depth."""
    for token in tokens:
        if token.type == "function":
            if token.lower_name == "var":
                first = _trim(token.arguments)[:1]
                if first and first[0].type == "ident" and first[0].value.startswith("--"):
                    yield first[0].value
            yield from _var_names(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            yield from _var_names(token.content)


def _serialise(kept: list, used: set[str]) -> str:
    """The kept rules as CSS text, one a line; declarations of unused custom properties left out, and with
    them a style rule left with nothing."""
    out = []
    for rule, inside in kept:
        if inside is None:
            out.append(rule.serialize())
        elif isinstance(rule, QualifiedRule):
            body = ";".join(_declaration(d) for d in inside if not d.name.startswith("--") or d.name in used)
            if body:
                out.append(f"{tinycss2.serialize(_trim(rule.prelude))}{{{body}}}")
        else:
            inner = _serialise(inside, used)
            if inner:
                head = f"@{tinycss2.serialize_identifier(rule.at_keyword)} {tinycss2.serialize(_trim(rule.prelude))}"
                out.append(f"{head}{{{inner}}}")
    return "\n".join(out)


def _declaration(declaration: Declaration) -> str:
    """``name:value`` (``!important`` kept); the whitespace around the value dropped unless it is all there is."""
    value = _trim(declaration.value) or declaration.value
    text = f"{tinycss2.serialize_identifier(declaration.name)}:{tinycss2.serialize(value)}"
    return text + "!important" if declaration.important else text


def _trim(tokens: list) -> list:
    """``tokens`` without the whitespace at either end."""
    start, end = 0, len(tokens)
    while start < end and tokens[start].type == "whitespace":
        start += 1
    while end > start and tokens[end - 1].type == "whitespace":
        end -= 1
    return tokens[start:end]
