from django.db import models

from generation.models.jobs import CopyJob, SamplingJob, TrainingJob


class FirstRun(models.Model):
    """The jobs the studio queued by itself on its first run with the demo catalog, so a newcomer finds images
    and copy to review without having asked for any. One row at most: its existence is what stops a second
    `make run` from queueing them again."""

    created_at = models.DateTimeField(auto_now_add=True)
    copy_training = models.ForeignKey(TrainingJob, null=True, on_delete=models.SET_NULL, related_name="+")
    image_training = models.ForeignKey(TrainingJob, null=True, on_delete=models.SET_NULL, related_name="+")
    sampling = models.ForeignKey(SamplingJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    copy = models.ForeignKey(CopyJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    estimated_seconds = models.PositiveIntegerField(default=0)  # from the start to the last item in review

    def __str__(self) -> str:
        return f"first run of {self.created_at:%Y-%m-%d %H:%M}"
