"""Pages of a verifiable vote: the election (phase, trustees, what each must do), the vote
page (encrypts in the browser), the bulletin board (paginated, searchable by tracker),
the whole board as one file, and the browser modules."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.ballots.assets import served_files
from secession.ballots.board import FORMAT, VERSION
from secession.exceptions import DataMissingError
from secession.web.apps.verifiable import actions
from secession.web.apps.verifiable.models import Election
from secession.web.apps.verifiable.present import election_summary
from secession.web.pages import ActionFailed, denied, post_only, reported

PAGE_SIZE = 50
PAGE_SCRIPT = "vote.js"


def _election(pk: int) -> Election:
    return get_object_or_404(Election.objects.select_related("proposal__community"), proposal_id=pk)


def election(request, pk: int):
    e = _election(pk)
    if (response := denied(request, "verifiable.view_election", e)) is not None:
        return response
    return render(
        request,
        "verifiable/election.html",
        {
            "e": e,
            "s": election_summary(e, request.user),
            "shares_url": f"/api/verifiable/{e.proposal_id}/shares",
        },
    )


def vote(request, pk: int):
    e = _election(pk)
    if (response := denied(request, "verifiable.view_election", e)) is not None:
        return response
    summary = election_summary(e, request.user)
    return render(
        request,
        "verifiable/vote.html",
        {"e": e, "s": summary, "script_texts": script_texts(summary)},
    )


def script_texts(summary: dict) -> dict[str, object]:
    """The vote page script's sentences in the page's language (a script cannot call
    gettext): the page holds them as a JSON script element; ``{name}`` is filled in by
    the script."""
    return {
        "loading": _("Loading the election key…"),
        "keyMissing": _("the election key is not available"),
        "serverAnswered": _("the server answered {status}"),
        "fingerprint": _(
            "Election key checked against the trustees' proofs (fingerprint {fingerprint})."
        ),
        "chooseFirst": _("Choose an option first."),
        "encrypted": _(
            "Your ballot is encrypted. Cast it, or audit it to check what was encrypted."
        ),
        "castDone": _(
            "Your ballot is cast (board entry {position}). Find it on {board} by its tracker."
        ),
        "boardLink": _("the board"),
        "cast": _("Your ballot is cast."),
        "notCast": _("Not cast: {reason}"),
        "audited": _(
            "Audited: that ballot encrypted “{choices}”, as the board now shows to anyone. "
            "It will never be counted. Choose again and encrypt a new ballot."
        ),
        "auditRefused": _("Audit refused: {reason}"),
        "cannotEncrypt": _("This page cannot encrypt a ballot: {reason}"),
        "options": {
            o: label.lower() for o, label in zip(summary["options"], summary["labels"], strict=True)
        },
    }


def board(request, pk: int):
    e = _election(pk)
    if (response := denied(request, "verifiable.view_election", e)) is not None:
        return response
    tracker = request.GET.get("tracker", "").strip().lower()[:64]
    found = e.entries.filter(tracker=tracker).first() if tracker else None
    rows = e.entries.order_by("position").only("position", "kind", "tracker", "data")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "verifiable/board.html",
        {"e": e, "page": page, "tracker": tracker, "found": found, "searched": bool(tracker)},
    )


def board_json(request, pk: int):
    """The whole board in the format ``secession ballots verify`` reads, streamed."""
    e = _election(pk)
    if (response := denied(request, "verifiable.view_election", e)) is not None:
        return response

    def chunks():
        yield json.dumps({"format": FORMAT, "version": VERSION})[:-1] + ', "entries": [\n'
        for n, data in enumerate(
            e.entries.order_by("position").values_list("data", flat=True).iterator(chunk_size=500)
        ):
            yield (",\n" if n else "") + json.dumps(data, separators=(",", ":"))
        yield "\n]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="board-{pk}.json"'
    return response


@post_only(
    lambda pk, what: reverse("verifiable:election", args=[pk]),
    gettext_lazy("This address takes a trustee's file for a verifiable vote."),
)
def trustee_post(request, pk: int, what: str):
    """A trustee uploads a file (public record, sealed shares, decryption share)."""
    e = _election(pk)
    if (response := denied(request, "verifiable.act_as_trustee", e)) is not None:
        return response
    post = {
        "record": actions.post_trustee_record,
        "shares": actions.post_shares,
        "decryption": actions.post_decryption,
    }.get(what)
    if post is None:
        raise Http404("no such upload")
    upload = request.FILES.get("file")
    text = (
        upload.read(2_000_000).decode("utf-8", "replace")
        if upload
        else request.POST.get("text", "")
    )
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        messages.error(
            request, _("That file is not JSON: upload the file the secession command wrote.")
        )
        return redirect(e)
    try:
        with reported(request):
            post(e, person=request.user, data=data)
            messages.success(request, _("Posted."))
    except ActionFailed:
        pass
    return redirect(e)


@cache
def _assets() -> dict[str, bytes]:
    files = dict(served_files())
    files[PAGE_SCRIPT] = (Path(__file__).with_name("js") / PAGE_SCRIPT).read_bytes()
    return files


def asset(request, name: str):
    """The ballot module, libsodium's modules (from the npm packages) and the vote page's
    script, as JavaScript modules."""
    try:
        content = _assets().get(name)
    except DataMissingError as exc:  # node_modules not installed: say which package
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    if content is None:
        raise Http404("no such file")
    response = HttpResponse(content, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
