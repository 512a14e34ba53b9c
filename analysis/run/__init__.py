"""Running: the whole analysis of a folder on all cores, cached, and every report rendered and published.

``pipeline`` analyses a corpus folder: it batches files (``batching``), runs every per-document stage on
each batch in worker processes (``document_stage``), keeps each batch's results in a content-keyed store
(``store``, keyed as ``cache_keys`` says), and reduces them to per-source tables (``reduction``).
``distributed`` does the same on Dask; ``runner`` executes the report notebooks through papermill and
publishes them safely; ``cli`` is the command line (``python -m analysis ...``).

May import: every layer. It is the top: nothing else imports it.
"""
