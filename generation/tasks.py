from celery import shared_task

from generation.services import job_runner, jobs, registry, sampling


@shared_task(name=jobs.RUN_TASK, acks_late=True)
def training_job_run_task(job_id: int) -> None:
    job_runner.training_job_run(job_id=job_id)


@shared_task
def training_jobs_reap_task() -> list[int]:
    return jobs.training_jobs_reap()


@shared_task
def retraining_enqueue_due_task() -> list[int]:
    return [job.pk for job in registry.retraining_enqueue_due()]


@shared_task(name=sampling.RUN_TASK, acks_late=True)
def sampling_job_run_task(job_id: int) -> None:
    sampling.sampling_job_run(job_id=job_id)
