"""What the coach's log tells the apps that build on it.

`log_changed` is sent inside the writing transaction, after an interaction was logged,
changed or deleted, with:

- `coach_id` and `network_id`: whose log it is;
- `moments`: every `occurred_at` the change touched (the old and the new one for an edit);
- `teacher_ids`: every teacher it touched (before and after an edit).

Receivers (the reports' tallies) recompute what they keep from the log itself, so a
receiver never trusts the figures of the change alone.
"""

from django.dispatch import Signal

log_changed = Signal()
