"""`manage.py send_session_reminders`: tell the coach and teachers of tomorrow's sessions.

Run it from cron, hourly or daily (running it again sends nothing twice), e.g.

    0 * * * *  cd /srv/bettertogether && .venv/bin/python manage.py send_session_reminders
"""

from django.core.management.base import BaseCommand

from bettertogether.menu.reminders import session_reminders_send


class Command(BaseCommand):
    help = "Remind the coach and teachers of every session that starts tomorrow."

    def handle(self, *args, **options):
        sent = session_reminders_send()
        self.stdout.write(f"Sent {sent} reminder{'' if sent == 1 else 's'}.")
