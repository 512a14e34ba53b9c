"""Measures: counts and statistics over the text units, each a tidy table traceable to its sentences.

Term frequency, collocations, keyness, log-odds, keyword in context and dispersion (``frequency``, with
the 2x2 association statistics in ``stats``); the document-feature matrix's weights and trims (``dfm``);
quanteda's collocation lambda (``collocations_lambda``); seeded bootstrap intervals (``resampling``);
sentence sentiment and its summaries (``sentiment``, scored by the exact fast copies of TextBlob's and
VADER's scorers in ``exact_scorers``); actor salience and co-occurrence (``network``); text reuse between
articles (``reuse``).

May import: :mod:`analysis.errors`, the text layer and this layer. Framing, reports and runs build on
these; nothing here imports them.
"""
