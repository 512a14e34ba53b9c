"""Running: the whole analysis of a folder on all cores, cached, and every report rendered and published.

``pipeline`` analyses a corpus folder: it gives each file a job and a cache key (``cache_keys``), batches
the files (``batching``), runs every per-document stage on each batch in worker processes
(``document_stage``), keeps each batch's results in a content-keyed store (``store``), and sums the batches'
partials (``partials``) to per-source tables (``reduction``); ``memory`` keeps each phase to its own size.
``distributed`` does the same on Dask; ``runner`` executes the report notebooks through papermill and
publishes them safely; ``cli`` is the command line (``python -m analysis ...``).

May import: every layer. It is the top: nothing else imports it.
"""
