"""``close_due_proposals``: close every proposal whose voting window has ended."""

from django.core.management.base import BaseCommand

from secession.web.apps.proposals.actions import close_due_proposals


class Command(BaseCommand):
    help = "Close every proposal whose voting window has ended and record its result."

    def handle(self, *args, **options):
        closed = close_due_proposals()
        for p in closed:
            verdict = "passed" if p.passed else "failed"
            self.stdout.write(f"proposal {p.pk} ({p.community.slug}): {verdict}")
        self.stdout.write(f"{len(closed)} proposal(s) closed")
