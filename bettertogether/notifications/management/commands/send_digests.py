"""`manage.py send_digests`: the daily digest emails. Run it once a day from cron, e.g.

    30 6 * * *  cd /srv/bettertogether && .venv/bin/python manage.py send_digests

Everyone who chose the daily digest gets one email listing every notification not yet
emailed to them. Running it twice sends nothing the second time.
"""

from django.core.management.base import BaseCommand

from bettertogether.notifications.services import digest_send


class Command(BaseCommand):
    help = "Send each person on the daily digest one email of their new notifications."

    def handle(self, *args, **options):
        sent = digest_send()
        self.stdout.write(f"Sent {sent} digest email{'' if sent == 1 else 's'}.")
