import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from catalog import roles
from tests.browser import launch_chromium
from tests.factories import make_user
from tests.servers import PostgresMissing, PostgresServer, free_port
from tests.world import world  # noqa: F401  (one of each object, for the tests that open every page)

PROJECT_DIR = Path(__file__).resolve().parent.parent
WORKER_STALE_SECONDS = 4


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Each test writes its files into a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Thousands of test users: a deliberately slow hash would cost minutes and test nothing of ours."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def language_of_the_test():
    """A request in Chinese leaves Chinese active in the thread that served it (the test client's is the test's
    own): each test starts in the default language."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Counts, worker states and throttle counters cached by one test never leak into the next."""
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def gan_work_dir(settings, tmp_path) -> Path:
    settings.GAN_WORK_DIR = tmp_path / "gan"
    return settings.GAN_WORK_DIR


@pytest.fixture
def merchandiser(db):
    return make_user("merch", roles.MERCHANDISER)


@pytest.fixture
def reviewer(db):
    return make_user("rev", roles.REVIEWER)


@pytest.fixture
def admin_user_role(db):
    return make_user("boss", roles.ADMIN)


@pytest.fixture
def merch_client(client, merchandiser):
    client.force_login(merchandiser)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def celery_eager(settings):
    import generation.tasks  # noqa: F401  (registers the tasks by name, as a worker's autodiscovery does)
    from retail_studio.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


# --- real services --------------------------------------------------------------------------------------------


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not come up within {timeout}s")


class RedisServer:
    """A private redis-server with append-only persistence, as `make run` starts it; it can be restarted."""

    def __init__(self, port: int, folder: Path):
        self.port, self.folder, self.process = port, folder, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder),
             "--save", "", "--appendonly", "yes"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_for(lambda: _port_open(self.port), 10, "redis-server")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """Started on the port named by CELERY_BROKER_URL (`make test` picks one apart from `make run`'s)."""
    port = urlparse(settings.CELERY_BROKER_URL).port or 6379
    if _port_open(port):
        pytest.fail(f"Port {port} is taken; run the tests with `make test`, which points them at a free port.")
    server = RedisServer(port, tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def postgres_server():
    try:
        server = PostgresServer(free_port())
    except PostgresMissing as exc:
        pytest.fail(str(exc))
    server.start()
    yield server
    server.stop()


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    """A real `celery worker` subprocess on the test database, media folder and Redis."""

    def __init__(self, media_root: Path, log_dir: Path, database_url: str | None = None):
        self.media_root, self.log_dir, self.process, self.count = media_root, log_dir, None, 0
        self.database_url = database_url

    def start(self) -> None:
        self.count += 1
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url or _database_url(),
            "MEDIA_ROOT": str(self.media_root),
            "GAN_WORK_DIR": str(settings.GAN_WORK_DIR),
            # Checkpoints and the dead-worker threshold on a test's time scale, not production's.
            "GAN_CHECKPOINT_SECONDS": "1",
            "GAN_PREVIEW_SECONDS": "2",
            "GENERATION_JOB_STALE_SECONDS": str(WORKER_STALE_SECONDS),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "PYTHONUNBUFFERED": "1",
        }
        self.log = self.log_dir / f"worker-{self.count}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "retail_studio", "worker", "-Q", "celery,gpu,features", "--concurrency", "1",
             "-n", f"test{self.count}@%h", "-l", "info", "--without-gossip", "--without-mingle"],
            cwd=PROJECT_DIR, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        _wait_for(lambda: "ready." in self.log.read_text(), 60, "celery worker")

    def kill(self, sig) -> None:
        os.killpg(self.process.pid, sig)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill(9)


@pytest.fixture
def stopped_worker(redis_server, transactional_db, media_root, tmp_path, settings):
    """A worker the test starts itself; stopped at the end whatever happened."""
    settings.GENERATION_JOB_STALE_SECONDS = WORKER_STALE_SECONDS
    worker = WorkerProcess(media_root, tmp_path)
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker_process(stopped_worker):
    stopped_worker.start()
    return stopped_worker


@pytest.fixture
def browser_page(live_server):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        # Every page runs under the studio's Content-Security-Policy: anything it refused fails the test.
        refused = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        yield page
        browser.close()
        assert not refused, refused
