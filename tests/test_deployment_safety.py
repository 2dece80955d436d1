"""A deployment never runs with a known secret key or known demo passwords."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import PROJECT_DIR


def django_check(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG")}
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT_DIR, capture_output=True, text=True,
        env=clean | {"RETAIL_STUDIO_VAR_DIR": str(tmp_path)} | env,
    )  # fmt: skip


def test_without_a_secret_key_the_studio_refuses_to_start(tmp_path):
    refused = django_check(tmp_path)
    assert refused.returncode != 0 and "Set DJANGO_SECRET_KEY" in refused.stderr
    assert django_check(tmp_path, DJANGO_DEBUG="1").returncode == 0  # a developer's debug run may
    (tmp_path / "secret_key").write_text("made-by-make-run-" + "x" * 40)  # what `make run` writes once
    assert django_check(tmp_path).returncode == 0


@pytest.mark.django_db
def test_demo_logins_need_the_demo_switch(settings, capsys):
    settings.STUDIO_DEMO = False
    with pytest.raises(CommandError, match="STUDIO_DEMO=1"):
        call_command("create_demo_users")
    settings.STUDIO_DEMO = True
    call_command("create_demo_users")
    assert "reviewer / studio-review" in capsys.readouterr().out
