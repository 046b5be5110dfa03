from django.conf import settings
from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """A form a signed-in person posted, remembered for a day by the key the page gave it,
    so a double click, a retried request or a replayed post does its work once (see
    `core.once`). Holds where the first post went, never what it said."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    key = models.UUIDField()
    path = models.CharField(max_length=500)
    # Where the first post sent its person; empty while that first post is still running.
    location = models.CharField(max_length=2000, blank=True)
    by_htmx = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="submission_once_per_key"),
        ]
        indexes = [models.Index(fields=["person", "created_at"], name="submission_by_age")]

    def __str__(self) -> str:
        return f"{self.path} {self.key}"
