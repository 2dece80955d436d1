"""A deployment never runs with a known secret key or known demo passwords."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from generation.models import TrainingJob
from generation.services.job_lifecycle import job_time_limits
from generation.services.jobs import MAX_BUDGET_MINUTES
from retail_studio.celery import app as celery_app
from tests.conftest import PROJECT_DIR

# What the test run sets that a deployment never has (the browser tests allow async-unsafe ORM calls).
TEST_ONLY_VARIABLES = ("DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")


def django_check(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
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


def test_the_documented_production_setting_passes_the_deploy_check(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    env = clean | {
        "RETAIL_STUDIO_VAR_DIR": str(tmp_path),
        "DJANGO_SECURE": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    }
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=PROJECT_DIR,
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    without = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=PROJECT_DIR, capture_output=True, text=True,
        env=env | {"DJANGO_SECURE": "0"},
    )  # fmt: skip
    assert "security.W008" in without.stderr + without.stdout  # the check would have seen the difference


def test_celery_accepts_json_only_and_outlasts_the_longest_job():
    longest = job_time_limits(TrainingJob(budget_minutes=MAX_BUDGET_MINUTES))["time_limit"]
    assert celery_app.conf.accept_content == ["json"] and celery_app.conf.task_serializer == "json"
    assert celery_app.conf.broker_transport_options["visibility_timeout"] > longest


def test_a_broker_beyond_loopback_needs_a_password(tmp_path):
    key = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    refused = django_check(tmp_path, CELERY_BROKER_URL="redis://10.0.0.5:6379/0", **key)
    assert refused.returncode != 0 and "without a password" in refused.stderr
    assert django_check(tmp_path, CELERY_BROKER_URL="redis://:s3cret@10.0.0.5:6379/0", **key).returncode == 0
    assert django_check(tmp_path, CELERY_BROKER_URL="redis://127.0.0.1:6379/0", **key).returncode == 0
