"""``send_reminders``: email, once, each voter who has not voted on a proposal closing
within a day (run from a scheduler, e.g. hourly, beside ``close_due_proposals``)."""

from django.core.management.base import BaseCommand

from secession.web.apps.notifications.mail import send_reminders


class Command(BaseCommand):
    help = "Remind, once, everyone who has not voted on a proposal closing within a day."

    def handle(self, *args, **options):
        sent = send_reminders()
        for pk, n in sent.items():
            self.stdout.write(f"proposal {pk}: {n} reminder(s) sent")
        self.stdout.write(f"{sum(sent.values())} reminder(s) sent for {len(sent)} proposal(s)")
