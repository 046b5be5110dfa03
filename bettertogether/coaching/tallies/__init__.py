"""The tallies of the coach's log: the log summed ahead of time for the impact reports.

A network-wide report over three years reads tens of thousands of tally rows instead of
millions of entries. The tallies are the log's own figures, so they live with the log, and
the code that writes the log keeps them equal to it, explicitly:

- `recount.log_written`: every service that writes the log (`coaching.services`) calls it
  in its transaction, and the coach's touched weeks, terms and months are summed again
  from the log.
- `network.calendar_changed`: a change of a network's time zone or terms moves entries
  between buckets. The directory cannot import this app, so its services call
  `directory.calendar_changes` by name and this app registers the recount there
  (`CoachingConfig.ready`); the recount runs in the background (`coaching.tasks`), and the
  reports say their figures are being recounted until it is done.
- `network.rebuild`: a whole network from scratch, after a bulk load that bypassed the
  services (`manage.py report_tallies --rebuild`, the demo seeders).
- `proof.differences`: a direct computation from the log, row by row, to compare with
  (`manage.py report_tallies --check`, and the randomized tests).

The modules: `models.py` (the tables), `buckets.py` (which week, term and month a moment is
in), `locks.py` (why no concurrent write is lost), `recount.py`, `network.py`, `proof.py`.
"""
