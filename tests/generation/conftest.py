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
