"""The interactive explorer: choose sources, an actor, a term and a frame; see the evidence side by side.

:func:`exploration` is the pure part (DataFrames in, DataFrames out); the widget
in :func:`explorer_widget` only collects the choices and displays
:func:`exploration_html`. All document text is HTML-escaped before display.
"""
from __future__ import annotations

import html

import pandas as pd

from .reporting import known_sources

PANELS = ("kwic", "naming", "scare_quotes", "frames", "sentiment")
MAX_SOURCES = 6   # columns of the side-by-side view that stay readable; with more sources, the view starts with these
TITLES = {"kwic": "Keyword in context", "naming": "Naming choices", "scare_quotes": "Distancing quotes",
          "frames": "Frame evidence", "sentiment": "Sentiment of the matching sentences"}


class Explorer:
    """Everything the explorer shows, computed once per corpus (tidy tables, joined on doc_id)."""

    def __init__(self, corpus):
        from ..text.actors import mentions
        from ..framing.frames import frame_matches
        from ..framing.naming import naming_choices
        from ..framing.quotes import quoted_spans
        from .reporting import regroup
        from ..measures.sentiment import sentence_sentiment
        corpus = regroup(corpus)   # documents without an outlet are "(unknown source)", as in the reports
        self.docs, self.sents, self.toks = corpus.docs, corpus.sentences, corpus.tokens
        self.ments = mentions(self.docs, sents=self.sents)
        self.spans = quoted_spans(self.docs, sents=self.sents, ments=self.ments)
        self.choices = naming_choices(self.docs, sents=self.sents, spans=self.spans)
        self.frames = frame_matches(self.docs, sents=self.sents)
        self.scores = sentence_sentiment(self.docs, self.sents)
        self.sources = known_sources(self.docs)
        words = self.docs.assign(source=self.docs["source"].astype(str)).groupby("source")["n_words"].sum()
        # the sources the view starts with: all when they fit side by side, else those with the most words
        self.default_sources = sorted(self.sources) if len(self.sources) <= MAX_SOURCES else sorted(
            s for s, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_SOURCES])
        self.actors = self.ments["actor"].value_counts().index.tolist()
        self.frame_names = sorted(self.frames["frame"].unique())


def exploration(explorer: Explorer, *, sources: list[str] | None = None, actor: str | None = None,
                term: str = "", frame: str | None = None, window: int = 6) -> dict[str, pd.DataFrame]:
    """The evidence for one choice, as tidy tables with a ``source`` column.

    kwic: the term in context; naming: the labels used in the sentences that name
    the actor (or everywhere, with no actor); scare_quotes: distancing quotes in
    those sentences; frames: the frame's matched sentences; sentiment: the
    TextBlob and VADER scores of the sentences that match the term and name the
    actor (whichever are given).
    """
    from ..measures.frequency import kwic
    sources = sources or explorer.sources
    docs = explorer.docs[explorer.docs["source"].isin(sources)]
    keys = ["doc_id", "sentence_id"]
    if actor:
        named = explorer.ments.loc[explorer.ments["actor"] == actor, keys].drop_duplicates()
    else:
        named = explorer.sents[keys]
    named = named[named["doc_id"].isin(docs["doc_id"])]
    hits = kwic(docs, term, window=window, toks=explorer.toks) if term.strip() else pd.DataFrame(
        columns=["doc_id", "source", "sentence_id", "start", "end", "left", "match", "right"])
    selected = named.merge(hits[keys].drop_duplicates(), on=keys) if term.strip() else named
    naming = explorer.choices.merge(named, on=keys)
    scare = explorer.spans[explorer.spans["kind"] == "scare_quote"].merge(named, on=keys)
    frames = explorer.frames[explorer.frames["frame"] == frame].merge(named, on=keys) if frame else \
        explorer.frames.iloc[0:0]
    sentiment = explorer.scores.merge(selected, on=keys)
    return {
        "kwic": hits[["source", "doc_id", "sentence_id", "left", "match", "right"]],
        "naming": naming[["source", "doc_id", "sentence_id", "referent", "label", "convention", "surface"]],
        "scare_quotes": scare[["source", "doc_id", "sentence_id", "text", "sentence"]],
        "frames": frames[["source", "doc_id", "sentence_id", "term", "match", "sentence"]],
        "sentiment": sentiment[["source", "doc_id", "sentence_id", "tb_polarity", "vader_compound", "text"]],
    }


def snapshot_sources(tables: dict[str, pd.DataFrame], sources: list[str], n: int = MAX_SOURCES) -> list[str]:
    """The sources a static view shows: all when at most ``n``, else the ``n`` with the most evidence rows
    in ``tables`` (ties by name), in sorted order."""
    if len(sources) <= n:
        return list(sources)
    counts = {s: 0 for s in sources}
    for table in tables.values():
        for source, count in table["source"].astype(str).value_counts().items():
            if source in counts:
                counts[source] += int(count)
    return sorted(s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def exploration_html(tables: dict[str, pd.DataFrame], sources: list[str], *, rows: int = 8) -> str:
    """The tables as one HTML block: a row per panel, a column per source; all text escaped."""
    columns = "".join(f"<th>{html.escape(s)}</th>" for s in sources)
    body = []
    for panel in PANELS:
        table = tables[panel]
        cells = []
        for source in sources:
            part = table[table["source"] == source].drop(columns="source").head(rows)
            if part.empty:
                cells.append('<td style="text-align:left;vertical-align:top"><em>none</em></td>')
                continue
            items = "".join("<li>" + html.escape(_line(panel, r)) + "</li>" for r in part.itertuples(index=False))
            more = f"<p><em>{len(table[table['source'] == source]) - rows} more</em></p>" \
                if len(table[table["source"] == source]) > rows else ""
            cells.append(f'<td style="text-align:left;vertical-align:top"><ul>{items}</ul>{more}</td>')
        body.append(f'<tr><th style="text-align:left;vertical-align:top">{html.escape(TITLES[panel])}</th>'
                    f"{''.join(cells)}</tr>")
    return ('<table class="explorer" style="table-layout:fixed;width:100%;font-size:85%;vertical-align:top">'
            f"<thead><tr><th></th>{columns}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _line(panel: str, row) -> str:
    if panel == "kwic":
        return f"{row.doc_id}#{row.sentence_id}: … {row.left} [{row.match}] {row.right} …"
    if panel == "naming":
        return f"{row.doc_id}#{row.sentence_id}: {row.surface} → {row.referent}, {row.convention}"
    if panel == "scare_quotes":
        return f"{row.doc_id}#{row.sentence_id}: “{row.text}” in: {row.sentence}"
    if panel == "frames":
        return f"{row.doc_id}#{row.sentence_id}: [{row.match}] {row.sentence}"
    return f"{row.doc_id}#{row.sentence_id}: TextBlob {row.tb_polarity:+.2f}, VADER {row.vader_compound:+.2f}: {row.text}"


def explorer_widget(explorer: Explorer, *, actor: str | None = None, term: str = "", frame: str | None = None):
    """The ipywidgets user interface (JupyterLab 4): controls on top, the evidence below, updated live."""
    import ipywidgets as widgets

    sources = widgets.SelectMultiple(options=explorer.sources, value=tuple(explorer.default_sources),
                                     description="Sources", rows=min(len(explorer.sources), 8))
    # a default the corpus does not have (an actor nobody names, a frame with no match) starts as "any"
    actors = widgets.Dropdown(options=[("(any actor)", "")] + [(a, a) for a in explorer.actors],
                              value=actor if actor in explorer.actors else "", description="Actor")
    terms = widgets.Text(value=term, description="Term", placeholder="word, phrase or glob (peacekeep*)",
                         continuous_update=False)
    frames = widgets.Dropdown(options=[("(no frame)", "")] + [(f, f) for f in explorer.frame_names],
                              value=frame if frame in explorer.frame_names else "", description="Frame")
    # a plain HTML widget whose value is replaced on each change: no output capture, nothing to wait for
    output = widgets.HTML()

    def update(*_):
        chosen = list(sources.value) or explorer.default_sources
        tables = exploration(explorer, sources=chosen, actor=actors.value or None, term=terms.value,
                             frame=frames.value or None)
        output.value = exploration_html(tables, chosen)

    for control in (sources, actors, terms, frames):
        control.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox([sources, widgets.VBox([actors, terms, frames])]), output])
