"""Presenting: figures, tables, corpus summaries, the term map and the interactive explorer.

``plotting`` holds the one pinned figure style (one colour per source everywhere, byte-identical files);
``reporting`` what the report notebooks share (choosing a group, naming and saving tables, showing them);
``summary`` the corpus-level overview; ``termmap`` the two-group term map (figure and self-contained HTML
page); ``explorer`` the interactive explorer; ``css_pruning`` the rendered page without the CSS it cannot
use. ``templates/`` holds the nbconvert templates of the rendered pages.

May import: every layer below it (corpus, text, measures, framing) and this layer; not :mod:`analysis.run`.
"""
