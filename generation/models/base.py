from django.db import models


class AppendOnlyModel(models.Model):
    """An audit row: written once in the same transaction as the change it records, never updated or deleted
    (as Zulip's RealmAuditLog)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit rows are never deleted.")
