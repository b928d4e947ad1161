"""``close_due_proposals``: close every vote whose window has ended: the communities'
proposals, then the votes of the apps above (alliance proposals)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from secession.web.apps.proposals.actions import close_due_proposals
from secession.web.apps.proposals.scheduling import run_closers


class Command(BaseCommand):
    help = "Close every proposal whose voting window has ended and record its result."

    def handle(self, *args, **options):
        now = timezone.now()
        closed = close_due_proposals(now)
        for p in closed:
            verdict = "passed" if p.passed else "failed"
            self.stdout.write(f"proposal {p.pk} ({p.community.slug}): {verdict}")
        others = run_closers(now)
        for line in others:
            self.stdout.write(line)
        self.stdout.write(f"{len(closed)} proposal(s) closed")
        if others:
            self.stdout.write(f"{len(others)} other vote(s) closed")
