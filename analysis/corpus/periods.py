"""Time periods and events: the time dimension of every per-source measure.

:func:`by_period` labels each document with its calendar period (month,
quarter or year) and :func:`by_event` with its phase relative to dated events
("before 2020-11-10 Trilateral ceasefire ...", "after ..."). Both return the
documents table with one more column, so any measure can then be grouped by
source and period (see :mod:`analysis.framing.over_time`). A document without a date
gets the label :data:`UNDATED`: it is counted and shown as such, never dropped.

The events come from an editable CSV (:data:`DEFAULT_EVENTS`: date, event,
source_of_date), which ships the conflict's main dates with where each date
can be checked; pass your own file for another conflict or finer dates.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from .dates import DateError, parse_date
from .._package import DATA_DIR

DEFAULT_EVENTS = DATA_DIR / "events.csv"
EVENT_COLUMNS = ["date", "event", "source_of_date"]
UNDATED = "undated"
FREQUENCIES = {"M": "month", "Q": "quarter", "Y": "year"}


def read_events(path: str | Path = DEFAULT_EVENTS) -> pd.DataFrame:
    """The events table: one row per event, sorted by date.

    Columns: date (datetime64, day precision), event (a short neutral
    description), source_of_date (where the date can be checked). A missing
    column, an empty or unparseable date, an empty event name or two events
    with the same name raise ValueError naming the file and the row (rows
    counted as in a spreadsheet, the header being row 1).
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
            header = rows[0].keys() if rows else []
    except OSError as err:
        raise ValueError(f"{path}: cannot read the events table ({err.strerror or err})") from None
    missing = [c for c in ("date", "event") if c not in header]
    if missing:
        raise ValueError(f"{path}: the events table needs the column(s) {', '.join(missing)} "
                         f"(found: {', '.join(header) or 'no header'}); columns are {', '.join(EVENT_COLUMNS)}")
    records, seen = [], {}
    for number, row in enumerate(rows, start=2):
        event = (row.get("event") or "").strip()
        if not event:
            raise ValueError(f"{path}, row {number}: the event has no name")
        if event in seen:
            raise ValueError(f"{path}, row {number}: the event {event!r} is already on row {seen[event]}")
        seen[event] = number
        try:
            date = parse_date(row.get("date") or "")
        except DateError as err:
            raise ValueError(f"{path}, row {number} ({event}): {err}") from None
        records.append((pd.Timestamp(date.date()), event, (row.get("source_of_date") or "").strip()))
    table = pd.DataFrame.from_records(records, columns=EVENT_COLUMNS)
    table["date"] = table["date"].astype("datetime64[ns]")
    return table.sort_values(["date", "event"], kind="stable").reset_index(drop=True)


def _dates(docs: pd.DataFrame) -> pd.Series:
    if "date" not in docs.columns:
        raise KeyError("the documents table has no 'date' column (use analysis.load_corpus)")
    return pd.to_datetime(docs["date"], errors="coerce")


def by_period(docs: pd.DataFrame, freq: str = "M", *, column: str = "period") -> pd.DataFrame:
    """The documents with their calendar period: ``column`` ("2021-01", "2021Q1" or "2021" for ``freq``
    "M", "Q" or "Y"; :data:`UNDATED` when the date is unknown) and ``column + "_start"`` (the period's first
    day, NaT when undated) and ``column + "_end"`` (its last day). ``column`` is an ordered categorical: periods in time order,
    every period between the first and the last included even when no document falls in it (an empty
    quarter is a finding), and "undated" last.
    """
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)} (month, quarter, year), not {freq!r}")
    dates = _dates(docs)
    periods = dates.dt.to_period(freq)
    labels = periods.map(lambda p: _label(p, freq), na_action="ignore").astype(object)
    known = periods.dropna()
    order = ([_label(p, freq) for p in pd.period_range(known.min(), known.max(), freq=freq)]
             if len(known) else [])
    out = docs.copy()
    out[column] = pd.Categorical(labels.fillna(UNDATED), categories=order + [UNDATED], ordered=True)
    out[column + "_start"] = periods.map(lambda p: p.start_time, na_action="ignore").astype("datetime64[ns]")
    out[column + "_end"] = periods.map(lambda p: p.end_time.normalize(), na_action="ignore").astype("datetime64[ns]")
    return out


def _label(period: pd.Period, freq: str) -> str:
    if freq == "M":
        return f"{period.year:04d}-{period.month:02d}"
    if freq == "Q":
        return f"{period.year:04d}Q{period.quarter}"
    return f"{period.year:04d}"


def event_label(event: pd.Series | dict) -> str:
    """How an event is written in phase labels: "2020-11-10 Trilateral ceasefire statement ..."."""
    return f"{pd.Timestamp(event['date']):%Y-%m-%d} {event['event']}"


def by_event(docs: pd.DataFrame, events: pd.DataFrame | None = None, *, event: str | None = None,
             column: str = "phase") -> pd.DataFrame:
    """The documents with their phase relative to events.

    With ``event`` (an event's name in ``events``): two phases, "before" (dated before the event's day)
    and "after" (on or after it), plus :data:`UNDATED`. Without: one phase per stretch between consecutive
    events, labelled by the event that opens it ("since 2020-11-10 Trilateral ...", or "before <first
    event>"). ``column`` is an ordered categorical in time order with "undated" last. ``events`` defaults
    to :func:`read_events`.
    """
    events = read_events() if events is None else events
    dates = _dates(docs)
    out = docs.copy()
    if event is not None:
        chosen = events[events["event"] == event]
        if chosen.empty:
            raise ValueError(f"no event {event!r} in the events table; events are: "
                             + "; ".join(events["event"]))
        day = chosen["date"].iloc[0]
        labels = pd.Series(pd.NA, index=docs.index, dtype=object)
        labels[dates < day] = "before"
        labels[dates >= day] = "after"
        categories = ["before", "after"]
    else:
        events = events.sort_values("date", kind="stable")
        names = [f"since {event_label(e)}" for _, e in events.iterrows()]
        categories = [f"before {event_label(events.iloc[0])}"] + names if len(events) else ["all dates"]
        position = pd.Series(events["date"].to_numpy()).searchsorted(dates.to_numpy(), side="right")
        labels = pd.Series([categories[p] for p in position], index=docs.index, dtype=object)
        labels[dates.isna()] = pd.NA
    out[column] = pd.Categorical(labels.fillna(UNDATED), categories=categories + [UNDATED], ordered=True)
    return out


def events_in_range(events: pd.DataFrame, docs: pd.DataFrame, *, margin_days: int = 0) -> pd.DataFrame:
    """The events that fall between the corpus's first and last dated document (plus ``margin_days``)."""
    dates = _dates(docs).dropna()
    if dates.empty:
        return events.iloc[0:0]
    low, high = dates.min() - pd.Timedelta(days=margin_days), dates.max() + pd.Timedelta(days=margin_days)
    return events[(events["date"] >= low) & (events["date"] <= high)].reset_index(drop=True)


def splitting_event(events: pd.DataFrame, docs: pd.DataFrame, by: str = "source") -> str | None:
    """The event that best splits the corpus into before and after: the one with the most groups (``by``)
    that have documents on both sides, then the most even split of the dated documents, then the latest.
    None when no event has dated documents on both sides."""
    dates = _dates(docs)
    best, best_key = None, None
    for _, e in events.iterrows():
        before, after = dates < e["date"], dates >= e["date"]
        if not before.any() or not after.any():
            continue
        groups = docs[by] if by in docs.columns else pd.Series("all", index=docs.index)
        both = len(set(groups[before]) & set(groups[after]))
        key = (both, -abs(int(before.sum()) - int(after.sum())), e["date"])
        if best_key is None or key > best_key:
            best, best_key = e["event"], key
    return best


def period_counts(docs: pd.DataFrame, by: str = "source", column: str = "period") -> pd.DataFrame:
    """Documents per group and period (``docs`` from :func:`by_period` or :func:`by_event`).

    Columns: ``by``, ``column``, n_documents. Every period of the categorical appears for every group
    (zeros included), undated last, so the table shows both gaps and the documents without a date.
    """
    if column not in docs.columns:
        raise KeyError(f"the documents table has no {column!r} column: call by_period(docs) or by_event(docs)")
    counts = docs.groupby([by, column], observed=False, sort=True).size().rename("n_documents").reset_index()
    return counts.astype({"n_documents": "int64"})


def attach(table: pd.DataFrame, docs: pd.DataFrame, columns: str | list[str] = "period") -> pd.DataFrame:
    """``table`` (sentences, tokens, mentions, scores, matches...: anything with doc_id) with the
    document-level ``columns`` of ``docs`` joined on doc_id; the row order of ``table`` is kept."""
    columns = [columns] if isinstance(columns, str) else list(columns)
    missing = [c for c in columns if c not in docs.columns]
    if missing:
        raise KeyError(f"the documents table has no column(s) {', '.join(missing)}")
    if "doc_id" not in table.columns:
        raise KeyError("the table has no doc_id column to join on")
    keep = [c for c in columns if c in table.columns]
    joined = table.drop(columns=keep).merge(docs[["doc_id", *columns]], on="doc_id", how="left", sort=False)
    joined.index = table.index
    return joined
