"""The default schedules, editable in the admin: the reaper every minute, retraining nightly at 02:00."""

from django.db import migrations

SCHEDULES = {
    "Reap training jobs whose worker vanished": "generation.tasks.training_jobs_reap_task",
    "Retrain models whose categories got new photos": "generation.tasks.retraining_enqueue_due_task",
}


def create_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
    )
    reap, retrain = SCHEDULES.items()
    PeriodicTask.objects.get_or_create(name=reap[0], defaults={"task": reap[1], "interval": every_minute})
    PeriodicTask.objects.get_or_create(name=retrain[0], defaults={"task": retrain[1], "crontab": nightly})


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=SCHEDULES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("generation", "0002_training_job"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
