"""A web process holds few long-lived objects, so that a garbage collection pauses its requests briefly:
it never loads PyTorch (the workers do), and gunicorn freezes what it loaded at start."""

import json
import os
import subprocess
import sys

from tests.conftest import PROJECT_DIR

# As gunicorn starts a worker: the WSGI application, then retail_studio/gunicorn_conf.py's hook.
WEB_WORKER_START = """
import gc, json, sys
import retail_studio.wsgi
from retail_studio import gunicorn_conf
gunicorn_conf.post_worker_init(worker=None)
print(json.dumps({
    "pytorch": "torch" in sys.modules,
    "views": all(name in sys.modules for name in ("catalog.views", "generation.review_views", "generation.api_views")),
    "frozen": gc.get_freeze_count(),
}))
"""


def test_a_web_worker_loads_its_views_without_pytorch_and_freezes_them(tmp_path):
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "retail_studio.settings", "RETAIL_STUDIO_VAR_DIR": str(tmp_path),
                        "CELERY_TASK_ALWAYS_EAGER": "0"}  # fmt: skip
    started = subprocess.run(
        [sys.executable, "-c", WEB_WORKER_START], cwd=PROJECT_DIR, env=env, capture_output=True, text=True
    )
    assert started.returncode == 0, started.stderr
    state = json.loads(started.stdout.strip().splitlines()[-1])
    assert state["pytorch"] is False
    assert state["views"] is True
    assert state["frozen"] > 50_000  # Django, the REST framework, Celery and our views
