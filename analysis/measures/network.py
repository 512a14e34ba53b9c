"""Actor salience and sentence-level co-occurrence, per source."""
from __future__ import annotations

import pandas as pd


def actor_salience(ments: pd.DataFrame, sents: pd.DataFrame, by: str = "source") -> pd.DataFrame:
    """How prominent each actor is in each group.

    Columns: ``by``, actor, actor_type, n_mentions, n_sentences (sentences that
    mention the actor), share_of_sentences (n_sentences / sentences in the
    group, 0..1), share_of_mentions (of all actor mentions in the group, 0..1),
    rank (1 = most mentioned in the group).
    """
    per_actor = ments.groupby([by, "actor", "actor_type"], sort=True).size().rename("n_mentions").reset_index()
    sentences_naming = (ments.drop_duplicates([by, "actor", "doc_id", "sentence_id"])
                        .groupby([by, "actor"]).size().rename("n_sentences").reset_index())
    per_actor = per_actor.merge(sentences_naming, on=[by, "actor"])
    return salience_table(per_actor, sents.groupby(by).size(), by)


def salience_table(counts: pd.DataFrame, sentence_totals: pd.Series, by: str = "source") -> pd.DataFrame:
    """:func:`actor_salience` from counts: ``counts`` (``by``, actor, actor_type, n_mentions, n_sentences,
    summable over documents) and the number of sentences per group."""
    per_actor = counts.groupby([by, "actor", "actor_type"], sort=True)[["n_mentions", "n_sentences"]].sum(
        ).reset_index()
    per_actor["share_of_sentences"] = per_actor["n_sentences"] / per_actor[by].map(sentence_totals)
    per_actor["share_of_mentions"] = per_actor["n_mentions"] / per_actor.groupby(by)["n_mentions"].transform("sum")
    per_actor = per_actor.sort_values([by, "n_mentions", "actor"], ascending=[True, False, True], kind="stable")
    per_actor["rank"] = per_actor.groupby(by).cumcount() + 1
    return per_actor.reset_index(drop=True)


def actor_network(ments: pd.DataFrame, by: str = "source", *, min_sentences: int = 1) -> pd.DataFrame:
    """Pairs of actors mentioned in the same sentence, per group (an undirected weighted edge list).

    Columns: ``by``, actor_a, actor_b (alphabetical), n_sentences (sentences
    naming both), n_a, n_b (sentences naming each), jaccard (n_sentences /
    sentences naming either, 0..1). Pairs seen in fewer than ``min_sentences``
    sentences are dropped.
    """
    present = ments[[by, "doc_id", "sentence_id", "actor"]].drop_duplicates()
    pairs = present.merge(present, on=[by, "doc_id", "sentence_id"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["actor_a"] < pairs["actor_b"]]
    edges = pairs.groupby([by, "actor_a", "actor_b"], sort=True).size().rename("n_sentences").reset_index()
    per_actor = present.groupby([by, "actor"]).size().rename("n").reset_index()
    edges = edges.merge(per_actor.rename(columns={"actor": "actor_a", "n": "n_a"}), on=[by, "actor_a"])
    edges = edges.merge(per_actor.rename(columns={"actor": "actor_b", "n": "n_b"}), on=[by, "actor_b"])
    edges["jaccard"] = edges["n_sentences"] / (edges["n_a"] + edges["n_b"] - edges["n_sentences"])
    edges = edges[edges["n_sentences"] >= min_sentences]
    return edges.sort_values([by, "n_sentences", "actor_a", "actor_b"], ascending=[True, False, True, True],
                             kind="stable").reset_index(drop=True)
