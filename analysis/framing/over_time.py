"""Every per-source measure by time period or event phase, with bootstrap intervals.

Each function takes the usual tidy tables plus the documents table with a
period column (from :func:`analysis.corpus.periods.by_period` or
:func:`analysis.corpus.periods.by_event`) and returns one row per group, period and
item (frame, convention, actor, term, speaker, measure). Every number is a
mean over units (sentences, label occurrences, word tokens, quotations) of the
group and period, with the interval of :func:`analysis.sentiment_summary`: a
cluster bootstrap over documents when the cell has at least ``min_documents``
(5) documents, else over the units (the ``resampled`` column says which; with
few documents the interval describes those articles, not the outlet). Cells
with no units do not appear. Documents without a date form the period
"undated", shown like any other, never dropped.

The evidence behind a cell is the input table filtered on its group and
period (e.g. :func:`analysis.frame_matches` rows of those documents).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..measures.frequency import keyness
from ..corpus.periods import attach
from ..measures.sentiment import sentiment_summary

_CELL = ["n_units", "n_documents", "mean", "ci_low", "ci_high", "resampled"]


def dating_note(docs: pd.DataFrame, period: str = "period") -> str:
    """One sentence on how many documents are dated, over which span, and how many are not."""
    from ..corpus.periods import UNDATED
    _check_period(docs, period)
    undated = int((docs[period] == UNDATED).sum())
    dates = pd.to_datetime(docs["date"], errors="coerce").dropna()
    text = (f"{len(dates)} of {len(docs)} documents are dated, from {dates.min():%d %B %Y} to {dates.max():%d %B %Y}."
            if len(dates) else f"None of the {len(docs)} documents has a date: nothing can be placed in time.")
    if undated and len(dates):
        text += f" {undated} without a date are counted as *undated* in every table and left out of the charts."
    return text


def top_panels(table: pd.DataFrame, items: list[str], *, n: int = 6, weight: str = "n_units") -> list[str]:
    """The ``n`` item combinations (e.g. referent and convention) with the most units over all cells, as
    "a: b" labels, for the panels of a figure; ties broken by name."""
    if table.empty:
        return []
    share = table["share"] if "share" in table.columns else 1.0
    weights = (table[weight] * share).groupby([table[c].astype(str) for c in items]).sum()
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    return [": ".join(key) if isinstance(key, tuple) else str(key) for key, w in ranked[:n] if w > 0]


def _cell_columns(by: str, period: str) -> list[str]:
    """The document columns that name a cell, to join onto a units table (doc_id is already there)."""
    return [c for c in dict.fromkeys([by, period]) if c != "doc_id"]


def _value_shares(units: pd.DataFrame, column: str, items: list, name: str, value: str, *, by: str, period: str,
                  docs: pd.DataFrame, scale: float = 1.0, **boot) -> pd.DataFrame:
    """Per cell, the mean over ``units`` of (``column`` == item) x ``scale`` for each item, long and bounded:
    ``by``, ``period``, ``name``, n_units, n_documents, ``value``, ci_low, ci_high, resampled."""
    values = units[column].to_numpy(dtype=object)
    cells = units.drop(columns=column).assign(**{f"_item_{i}": (values == item).astype(np.float64) * scale
                                                 for i, item in enumerate(items)})
    table = _means(cells, [by, period], [f"_item_{i}" for i in range(len(items))], **boot)
    table = _long(table, items, name, value)
    table = table[[by, period, name, "n_units", "n_documents", value, "ci_low", "ci_high", "resampled"]]
    return with_period_bounds(table, docs, period)


def _check_period(docs: pd.DataFrame, period: str) -> None:
    if period not in docs.columns:
        raise KeyError(f"the documents table has no {period!r} column: call analysis.by_period(docs) "
                       "or analysis.by_event(docs) first")


def _means(units: pd.DataFrame, keys: list[str], measures: list[str], *, n_boot: int, seed: int,
           min_documents: int) -> pd.DataFrame:
    """Mean of each 0/1 (or score) column per cell, the same estimator and interval as sentiment_summary."""
    table = sentiment_summary(units, by=keys, measures=measures, n_boot=n_boot, seed=seed,
                              min_documents=min_documents)
    return table.rename(columns={"n_sentences": "n_units"})


def with_period_bounds(table: pd.DataFrame, docs: pd.DataFrame, period: str = "period") -> pd.DataFrame:
    """``table`` (one row per period, or group and period) with the period's first and last day from
    ``docs`` (:func:`analysis.corpus.periods.by_period` output), for plotting against time."""
    bounds = [c for c in (period + "_start", period + "_end") if c in docs.columns]
    if bounds and period in table.columns:
        starts = docs[[period, *bounds]].dropna().drop_duplicates(period)
        table = table.merge(starts, on=period, how="left")
        table[period] = table[period].astype(docs[period].dtype)
    return table


def _indicators(units: pd.DataFrame, item: pd.Series, items: list, row: pd.Series) -> pd.DataFrame:
    """``units`` with one 0/1 column per item: 1 when a row of (row id, item) exists."""
    columns = {}
    for name in items:
        hit = set(row[item == name])
        columns[name] = units.index.isin(list(hit)).astype(np.float64)
    return units.assign(**{f"_item_{i}": columns[name] for i, name in enumerate(items)})


def _long(table: pd.DataFrame, items: list, item_name: str, value_name: str) -> pd.DataFrame:
    names = {f"_item_{i}": name for i, name in enumerate(items)}
    table = table.assign(**{item_name: table["measure"].map(names)}).drop(columns="measure")
    return table.rename(columns={"mean": value_name})


def _sentence_units(sents: pd.DataFrame, docs: pd.DataFrame, by: str, period: str) -> pd.DataFrame:
    units = sents[["doc_id", "sentence_id"]].copy()
    units = attach(units, docs, _cell_columns(by, period))
    return units.reset_index(drop=True)


def frame_shares_over_time(matches: pd.DataFrame, sents: pd.DataFrame, docs: pd.DataFrame, *,
                           by: str = "source", period: str = "period", frames: list[str] | None = None,
                           n_boot: int = 2000, seed: int = 0, min_documents: int = 5) -> pd.DataFrame:
    """Share of sentences with at least one match of each frame, per group and period.

    ``matches``: :func:`analysis.frame_matches` output; ``sents``: the sentences of ``docs``. Columns:
    ``by``, ``period``, frame, n_units (sentences), n_documents, share (0..1), ci_low, ci_high, resampled,
    ``period``_start and _end. Unlike :func:`analysis.frame_scores` (matches per 1,000 words) the unit here is the
    sentence, which can be resampled.
    """
    _check_period(docs, period)
    units = _sentence_units(sents, docs, by, period)
    frames = sorted(matches["frame"].unique()) if frames is None else list(frames)
    if not frames:
        return pd.DataFrame(columns=[by, period, "frame", "n_units", "n_documents", "share", "ci_low", "ci_high",
                                     "resampled"])
    key = pd.MultiIndex.from_frame(units[["doc_id", "sentence_id"]])
    row_of = pd.Series(np.arange(len(units)), index=key)
    found = matches[matches["frame"].isin(frames)]
    rows = pd.Series(row_of.reindex(pd.MultiIndex.from_frame(found[["doc_id", "sentence_id"]])).to_numpy())
    keep = rows.notna().to_numpy()
    units = _indicators(units, found["frame"].reset_index(drop=True)[keep], frames, rows[keep].astype(int))
    measures = [f"_item_{i}" for i in range(len(frames))]
    table = _means(units, [by, period], measures, n_boot=n_boot, seed=seed, min_documents=min_documents)
    table = _long(table, frames, "frame", "share")
    table = table[[by, period, "frame", "n_units", "n_documents", "share", "ci_low", "ci_high", "resampled"]]
    return with_period_bounds(table, docs, period)


def naming_shares_over_time(choices: pd.DataFrame, docs: pd.DataFrame, *, by: str = "source",
                            period: str = "period", voice: str | None = "outlet", n_boot: int = 2000,
                            seed: int = 0, min_documents: int = 5) -> pd.DataFrame:
    """Share of each convention among a referent's labels, per group and period.

    ``choices``: :func:`analysis.naming_choices` output; ``voice`` "outlet" (default) counts the outlet's
    own wording only, as :func:`analysis.naming_shares`. Columns: ``by``, ``period``, referent,
    convention, n_units (the referent's label occurrences in the cell), n_documents, share (0..1),
    ci_low, ci_high, resampled, labels (the labels behind the share, with counts: the evidence),
    ``period``_start and _end. Conventions a cell never used appear with share 0.
    """
    _check_period(docs, period)
    if voice is not None:
        choices = choices[choices["voice"] == voice]
    columns = [by, period, "referent", "convention", *_CELL]
    parts = []
    for referent, rows in choices.groupby("referent", sort=True):
        units = attach(rows[["doc_id", "convention"]].reset_index(drop=True), docs,
                       _cell_columns(by, period))
        conventions = sorted(units["convention"].unique())
        for i, name in enumerate(conventions):
            units[f"_item_{i}"] = (units["convention"] == name).astype(np.float64)
        measures = [f"_item_{i}" for i in range(len(conventions))]
        table = _means(units, [by, period], measures, n_boot=n_boot, seed=seed, min_documents=min_documents)
        table = _long(table, conventions, "convention", "share").assign(referent=referent)
        parts.append(table)
    if not parts:
        return pd.DataFrame(columns=[c if c != "mean" else "share" for c in columns])
    table = pd.concat(parts, ignore_index=True)
    # the evidence in the cell itself: the labels behind each share, most frequent first
    labelled = attach(choices[["doc_id", "referent", "convention", "label"]].reset_index(drop=True), docs,
                      _cell_columns(by, period))
    labels = (labelled.groupby([by, period, "referent", "convention"], observed=True)["label"]
              .agg(lambda v: "; ".join(f"{k} ({n})" for k, n in v.value_counts().items())).rename("labels")
              .reset_index())
    table = table.merge(labels, on=[by, period, "referent", "convention"], how="left")
    table["labels"] = table["labels"].fillna("")
    table = table[[by, period, "referent", "convention", "n_units", "n_documents", "share", "ci_low", "ci_high",
                   "resampled", "labels"]]
    table = table.sort_values([by, period, "referent", "convention"], kind="stable").reset_index(drop=True)
    return with_period_bounds(table, docs, period)


def sentiment_over_time(scores: pd.DataFrame, docs: pd.DataFrame, *, by: str = "source", period: str = "period",
                        measures: tuple[str, ...] = ("vader_compound", "tb_polarity"), n_boot: int = 2000,
                        seed: int = 0, min_documents: int = 5) -> pd.DataFrame:
    """Mean sentence sentiment per group and period (:func:`analysis.sentiment_summary` by both).

    ``scores``: :func:`analysis.sentence_sentiment` output. Columns: ``by``, ``period``, measure,
    n_units (sentences), n_documents, mean (the measure's own units, -1..1), ci_low, ci_high, resampled,
    ``period``_start and _end.
    """
    _check_period(docs, period)
    units = attach(scores, docs, _cell_columns(by, period))
    table = _means(units, [by, period], list(measures), n_boot=n_boot, seed=seed, min_documents=min_documents)
    return with_period_bounds(table, docs, period)


def salience_over_time(ments: pd.DataFrame, sents: pd.DataFrame, docs: pd.DataFrame, *, by: str = "source",
                       period: str = "period", actors: list[str] | None = None, top_n: int = 8,
                       n_boot: int = 2000, seed: int = 0, min_documents: int = 5) -> pd.DataFrame:
    """Share of sentences naming each actor, per group and period.

    ``actors`` default: the ``top_n`` actors named in the most sentences overall. Columns: ``by``,
    ``period``, actor, n_units (sentences), n_documents, share_of_sentences (0..1), ci_low, ci_high,
    resampled, ``period``_start and _end.
    """
    _check_period(docs, period)
    named = ments.drop_duplicates(["doc_id", "sentence_id", "actor"])
    if actors is None:
        counts = named["actor"].value_counts()
        counts = counts.rename_axis("actor").reset_index(name="n").sort_values(["n", "actor"],
                                                                               ascending=[False, True])
        actors = list(counts["actor"].head(top_n))
    units = _sentence_units(sents, docs, by, period)
    if not actors:
        return pd.DataFrame(columns=[by, period, "actor", "n_units", "n_documents", "share_of_sentences",
                                     "ci_low", "ci_high", "resampled"])
    row_of = pd.Series(np.arange(len(units)), index=pd.MultiIndex.from_frame(units[["doc_id", "sentence_id"]]))
    named = named[named["actor"].isin(actors)]
    rows = pd.Series(row_of.reindex(pd.MultiIndex.from_frame(named[["doc_id", "sentence_id"]])).to_numpy())
    keep = rows.notna().to_numpy()
    units = _indicators(units, named["actor"].reset_index(drop=True)[keep], actors, rows[keep].astype(int))
    table = _means(units, [by, period], [f"_item_{i}" for i in range(len(actors))], n_boot=n_boot, seed=seed,
                   min_documents=min_documents)
    table = _long(table, actors, "actor", "share_of_sentences")
    table = table[[by, period, "actor", "n_units", "n_documents", "share_of_sentences", "ci_low", "ci_high",
                   "resampled"]]
    return with_period_bounds(table, docs, period)


def term_rates_over_time(toks: pd.DataFrame, terms: list[str], docs: pd.DataFrame, *, by: str = "source",
                         period: str = "period", n_boot: int = 2000, seed: int = 0,
                         min_documents: int = 5) -> pd.DataFrame:
    """Occurrences of each term per 1,000 words, per group and period.

    ``terms`` are token norms (lower case, as :func:`analysis.term_counts`). Columns: ``by``, ``period``,
    term, n_units (word tokens), n_documents, per_1000_words, ci_low, ci_high (per 1,000 words),
    resampled, ``period``_start and _end.
    """
    _check_period(docs, period)
    terms = list(dict.fromkeys(terms))
    words = toks.loc[~toks["is_punct"].astype(bool), ["doc_id", "norm"]].reset_index(drop=True)
    words = attach(words, docs, _cell_columns(by, period))
    return _value_shares(words, "norm", terms, "term", "per_1000_words", by=by, period=period, docs=docs,
                         scale=1000.0, n_boot=n_boot, seed=seed, min_documents=min_documents)


def voices_over_time(quotes: pd.DataFrame, docs: pd.DataFrame, *, by: str = "source", period: str = "period",
                     speakers: list[str] | None = None, top_n: int = 6, n_boot: int = 2000, seed: int = 0,
                     min_documents: int = 5) -> pd.DataFrame:
    """Share of quotations given to each speaker, per group and period.

    ``quotes``: the quotation rows of :func:`analysis.quoted_spans`; the speaker is the canonical actor
    when known, else the phrase, else "(unattributed)", as :func:`analysis.voices`. ``speakers`` default:
    the ``top_n`` speakers with the most quotations overall. Columns: ``by``, ``period``, speaker,
    n_units (quotations), n_documents, share_of_quotations (0..1), ci_low, ci_high, resampled,
    ``period``_start and _end.
    """
    _check_period(docs, period)
    speaker = quotes["speaker_actor"].fillna(quotes["speaker"]).fillna("(unattributed)")
    units = attach(pd.DataFrame({"doc_id": quotes["doc_id"].to_numpy(), "speaker": speaker.to_numpy()}), docs,
                   _cell_columns(by, period))
    if speakers is None:
        counts = units["speaker"].value_counts().rename_axis("speaker").reset_index(name="n")
        speakers = list(counts.sort_values(["n", "speaker"], ascending=[False, True])["speaker"].head(top_n))
    if not speakers or units.empty:
        return pd.DataFrame(columns=[by, period, "speaker", "n_units", "n_documents", "share_of_quotations",
                                     "ci_low", "ci_high", "resampled"])
    return _value_shares(units, "speaker", speakers, "speaker", "share_of_quotations", by=by, period=period,
                         docs=docs, n_boot=n_boot, seed=seed, min_documents=min_documents)


def changed_terms(toks: pd.DataFrame, docs: pd.DataFrame, *, by: str | None = "source", phase: str = "phase",
                  before: str = "before", after: str = "after", min_count: int = 2, drop_stop: bool = True,
                  top_n: int | None = None) -> pd.DataFrame:
    """What changed: keyness of the "after" documents against the "before" ones, within each group.

    ``docs`` from :func:`analysis.by_event` with ``event=...`` (phases "before"/"after"). For each group
    with documents on both sides, :func:`analysis.keyness` (G2, Log Ratio, Benjamini-Hochberg p) of
    after vs before; positive g2 = used more after the event. Columns: ``by``, then keyness's columns;
    ``top_n`` keeps the top and bottom n terms of each group. Groups with documents on one side only are
    left out: :func:`analysis.corpus.periods.period_counts` shows which. ``by=None`` compares the whole corpus
    (one group, "all", in a column called "group").
    """
    _check_period(docs, phase)
    if by is None:
        by, toks = "group", toks.assign(group="all")
    words = attach(toks, docs, [phase] if by in toks.columns else [phase, by])
    parts = []
    for group, rows in words.groupby(by, sort=True):
        phases = set(rows[phase].astype(object).dropna())
        if before not in phases or after not in phases:
            continue
        rows = rows[rows[phase].isin([before, after])].assign(**{phase: lambda t: t[phase].astype(str)})
        table = keyness(rows, after, by=phase, reference=before, drop_stop=drop_stop, min_count=min_count)
        if top_n is not None:
            table = pd.concat([table.head(top_n), table.tail(top_n)]).drop_duplicates("term")
        parts.append(table.assign(**{by: group}))
    if not parts:
        return pd.DataFrame(columns=[by, "term", "target_count", "reference_count", "g2", "log_ratio",
                                     "p_adjusted"])
    table = pd.concat(parts, ignore_index=True)
    return table[[by] + [c for c in table.columns if c != by]]
