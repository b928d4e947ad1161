"""An opt-in referendum on a community's territory: its official unit results and the
border repair of :mod:`secession.referendum.optin`, run for the platform.

The territory is a set of units of a dataset (``us-counties-2020``). The graph is the
whole of the states those units lie in, as ``secession referendum --state ...`` loads it;
units outside the territory hold no voters and are locked on the staying side, so the
remaining country around the territory keeps its real shape. A territory that fills its
states is exactly the command line's graph.

The results file is read with :func:`secession.referendum.results.read_results` (the same
errors as the command line, naming the file as it was sent, its row and the unit id),
checked against the territory at upload, and kept at :func:`results_path`. Nothing in it
is executed.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secession.exceptions import DataError
from secession.geo.states import state_of_fips
from secession.referendum import Rule
from secession.referendum.results import join_to_graph, read_results
from secession.referendum.tally import Counts
from secession.web.apps.planner import storage, uploads
from secession.web.apps.planner.optin_counts import PLATFORM, counts_of

OPT_IN_TERRITORY = "optin_territory"  # the proposal kind (optin_kind.py)
DATASET = "us-counties-2020"
YEAR = 2020
RESULTS_NAME = "results.csv"
BALLOTS_NAME = "the vote's ballots by county"  # the input named in a repair's files
MAX_BYTES = 5 * 2**20


def max_bytes() -> int:
    return int(getattr(settings, "PLANNER_OPTIN_MAX_BYTES", MAX_BYTES))


def folder(proposal_id: int) -> Path:
    return uploads.uploads_root() / "referendums" / str(int(proposal_id))


def results_path(proposal_id: int) -> Path:
    return folder(proposal_id) / RESULTS_NAME


def states_of(unit_ids: list[str]) -> list[str]:
    """Postal codes of the states the county units lie in (sorted); unknown ids refused."""
    codes = set()
    for unit in unit_ids:
        state = state_of_fips(unit)
        if state is None:
            raise DataError(
                _("unit {unit} is not a US county (no state has that FIPS code)").format(
                    unit=repr(unit)
                )
            )
        codes.add(state.code)
    return sorted(codes)


def check_results(path: Path, shown_as: str, territory: list[str]) -> Counts:
    """The counts of the results file at ``path``, read as the command line reads them and
    checked against the territory: every unit of it once, no other. Errors name
    ``shown_as`` (the name the file was sent with), the row and the unit."""
    try:
        counts = read_results(path)
    except DataError as exc:
        raise DataError(str(exc).replace(str(path), shown_as)) from None
    inside = set(territory)
    for row, unit in enumerate(counts.units, start=1):
        if unit not in inside:
            raise DataError(
                _(
                    "{name}: row {row} (line {line}): unit {unit} is not in the community's "
                    "territory; ids are compared as text (check leading zeros)"
                ).format(name=shown_as, row=row, line=row + 1, unit=repr(unit))
            )
    missing = sorted(inside - set(counts.units))
    if missing:
        more = f", ... {len(missing) - 10} more" if len(missing) > 10 else ""
        raise DataError(
            ngettext(
                "{name}: {n} unit of the territory has no result: {units}",
                "{name}: {n} units of the territory have no result: {units}",
                len(missing),
            ).format(name=shown_as, n=len(missing), units=", ".join(missing[:10]) + more)
        )
    return counts


def store_results(proposal_id: int, upload, territory: list[str]) -> int:
    """Check the uploaded file (size, CSV, rows against ``territory``) and keep it in
    place of any earlier one; the number of units it has. Nothing is kept if refused."""
    name = Path(str(upload.name or "results.csv")).name[:200]
    if not name.lower().endswith(".csv"):
        raise DataError(
            _("{name}: the official results must be a CSV file (one row per unit)").format(
                name=name
            )
        )
    most = max_bytes()
    if upload.size > most:
        raise DataError(
            _("{name}: {size} is larger than this site's limit of {most}").format(
                name=name, size=f"{upload.size / 2**20:,.1f} MB", most=f"{most / 2**20:,.1f} MB"
            )
        )
    target = folder(proposal_id)
    target.mkdir(parents=True, exist_ok=True)
    partial = target / ".results.partial.csv"
    try:
        with partial.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        counts = check_results(partial, name, territory)
        partial.replace(target / RESULTS_NAME)
    finally:
        partial.unlink(missing_ok=True)
    return len(counts.units)


def remove(proposal_id: int) -> None:
    shutil.rmtree(folder(proposal_id), ignore_errors=True)


def unit_rule(payload: dict[str, Any]) -> Rule:
    return Rule.from_dict(dict(payload["unit_rule"]))


def run(job, progress, constraints) -> str:
    """The repair of the referendum behind ``job`` (a plan job made by
    :func:`~.optin_actions.queue_repair`) under ``constraints``: read, decide, repair,
    write the referendum's files (as ``secession referendum --out``) and publish them;
    the result folder's name."""
    from secession.geo.load import load_graph
    from secession.referendum.optin import repair_opt_in
    from secession.referendum.report import write_outcome
    from secession.referendum.tally import decide
    from secession.web.apps.planner.datasets import data_dir

    spec = job.edits["opt_in"]
    territory = list(spec["units"])
    if spec.get("source") == PLATFORM:  # counted from the vote's ballots when it closed
        shown_as = BALLOTS_NAME
        counts = counts_of(spec["counts"])
    else:
        shown_as = spec.get("results_name") or RESULTS_NAME
        counts = check_results(results_path(spec["proposal"]), shown_as, territory)
    graph = load_graph(year=YEAR, states=tuple(job.place), data_dir=data_dir()).graph
    counts, graph, notes = join_to_graph(counts, graph, source=shown_as, on_mismatch="keep")
    inside = set(territory)
    outside = tuple(u for u in graph.ids.tolist() if u not in inside)
    if outside:
        notes = [f"{len(outside)} unit(s) of the same states outside the territory stay"]
    constraints = replace(constraints, lock_stay=outside)
    outcome = decide(unit_rule(spec), counts)
    result = repair_opt_in(
        graph,
        outcome,
        constraints,
        solver=job.solver,
        time_limit=job.time_limit,
        seed=job.seed,
        progress=progress,
        source=shown_as,
    )
    partial = storage.partial_dir(job.pk)
    write_outcome(
        outcome,
        partial,
        result,
        notes=notes,
        sources={"rule": outcome.rule.name, "input": shown_as},
        maps=_maps_available(),
    )
    return storage.publish(partial, job.pk).name


def _maps_available() -> bool:
    try:
        import secession.maps  # noqa: F401
    except ImportError:  # maps are optional: the tables are enough
        return False
    return True


def outcome_of(job) -> dict[str, Any] | None:
    """The stored ``outcome.json`` of a done repair job, or ``None``."""
    path = storage.result_file(job, "outcome.json")
    if path is None:
        return None
    return json.loads(path.read_text(encoding="utf-8"))
