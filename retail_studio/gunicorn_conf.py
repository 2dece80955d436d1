"""How gunicorn serves the studio: `make run`, the benchmarks and docker-compose.yml all start it with
`--config python:retail_studio.gunicorn_conf`. WEB_WORKERS and WEB_THREADS (environment) size it."""

import gc
import importlib
import os

# Per 2 cores, 2 processes of 4 threads: threads overlap a request's waits on the database, processes share
# the CPU without one GIL; `make bench-web` measured this against 3 x 4 (README, "Benchmarks").
workers = int(os.environ.get("WEB_WORKERS", 2))
threads = int(os.environ.get("WEB_THREADS", 4))
# Idle connections are kept longer than a person pauses between requests: a shorter keep-alive races with
# the next request (the client sees "Remote end closed connection without response").
keepalive = 5


def post_worker_init(worker):
    """What a process loads at start lives as long as it does. Loaded now (Django imports the views with the
    URLs, at the first request otherwise) and frozen, it is left out of garbage collections: a full one then
    walks only what requests made. Under `make bench-web` such a pause of all of a process's requests fell
    from ~110 ms to ~25 ms (median)."""
    from django.conf import settings

    importlib.import_module(settings.ROOT_URLCONF)
    # jieba's dictionary (the assistant's Chinese words) is half a million objects, loaded at its first use:
    # loaded before the freeze, a full collection never walks it.
    importlib.import_module("generation.assistant.articles").load_dictionaries()
    gc.freeze()
