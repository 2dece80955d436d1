"""Each Celery worker writes a presence row when it is ready and every PRESENCE_SECONDS after, and removes it
when it stops, so the pages' "no worker is connected" banner reads the database, never the broker."""

import threading

from celery.signals import worker_ready, worker_shutdown
from django.db import close_old_connections

from generation.services.job_lifecycle import worker_gone, worker_seen

PRESENCE_SECONDS = 10.0
_stop = threading.Event()


def _beat(hostname: str, queues: str) -> None:
    while not _stop.wait(PRESENCE_SECONDS):
        close_old_connections()
        try:
            worker_seen(hostname=hostname, queues=queues)
        except Exception:  # a database hiccup must not kill the worker; the next beat tries again
            continue


@worker_ready.connect
def _worker_ready(sender, **kwargs) -> None:
    hostname = sender.hostname
    queues = ",".join(sorted(q.name for q in sender.app.amqp.queues.consume_from.values()))
    worker_seen(hostname=hostname, queues=queues)
    _stop.clear()
    threading.Thread(target=_beat, args=(hostname, queues), daemon=True, name="presence").start()


@worker_shutdown.connect
def _worker_shutdown(sender, **kwargs) -> None:
    _stop.set()
    worker_gone(hostname=sender.hostname)
