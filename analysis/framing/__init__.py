"""Framing: how outlets name the conflict's referents, whom they quote, which frames they use, over time.

Frame dictionaries (``frames``) and user dictionaries in quanteda's formats (``dictionary``); naming
choices among competing labels, in the outlet's own voice or a speaker's (``naming``); quotations, scare
quotes and titles (``quotes``) with their speakers (``speakers``); frames from the data, as topic models
(``topics``); every per-source measure by period or event (``over_time``); and the check of the
dictionary measures against human coding (``validation``).

May import: :mod:`analysis.errors`, the corpus layer (dates and periods), the text layer, measures and
this layer. Reports and runs build on these; nothing here imports them.
"""
