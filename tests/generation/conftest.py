import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from catalog.models import Category
from generation.services import jobs
from tests.generation.test_gan_commands import small_catalog


@pytest.fixture
def trained(celery_eager, django_capture_on_commit_callbacks, merchandiser):
    """Version 1 of "demo", trained on the small catalog through a job, the way a person starts one."""
    small_catalog(per_category=6)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.training_job_create(name="demo", categories=list(Category.objects.all()), steps=2, user=merchandiser)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    return job.result


CHAT_TEXTS = ("Black sneaker for city days", "Classic court sneaker in black", "Quietly bold: the black sneaker")


class FakeChatServer:
    """Answers /chat/completions as `mode` says: ok, slow, error (500), garbage (not JSON), odd (JSON, no choices),
    single (ignores n, one choice per request); with the `texts` given, or CHAT_TEXTS."""

    def __init__(self):
        self.mode, self.requests, self.texts = "ok", [], CHAT_TEXTS
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                if server.mode == "slow":
                    time.sleep(1.0)
                if server.mode == "error":
                    self.send_response(500)
                    self.end_headers()
                    self.wfile.write(b"boom")
                    return
                n = 1 if server.mode == "single" else body["n"]
                start = len(server.requests) - 1
                texts = [server.texts[(start + i) % len(server.texts)] for i in range(n)]
                payload = {"choices": [{"message": {"content": f' "{text}" '}} for text in texts]}
                data = (
                    b"<html>oops"
                    if server.mode == "garbage"
                    else json.dumps({"odd": 1} if server.mode == "odd" else payload).encode()
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/v1"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


@pytest.fixture
def chat_server():
    server = FakeChatServer()
    yield server
    server.http.shutdown()


def wait_until(predicate, timeout: float, worker) -> None:
    """Polls `predicate` until it holds; past `timeout` fails with the end of the worker's log."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(worker.log.read_text()[-3000:])
        time.sleep(0.2)
