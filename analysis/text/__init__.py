"""Text units: sentences, tokens and actor mentions, the rows every measure counts.

``segment`` splits documents into sentences and tokens offline (spaCy's rule-based English tokenizer, no
model download); ``lexicon`` matches many regular expressions against many texts at once, the engine
under the gazetteer, the naming lexicon and the frame dictionaries; ``actors`` resolves mentions of
people, states, organisations, forces and places through the editable gazetteer; ``coverage`` lists the
frequent proper names the gazetteer does not resolve, so a researcher can extend it.

May import: :mod:`analysis.errors` and this layer only.
"""
