"""Show and write a referendum outcome: rich tables on screen, ``outcome.json`` and ``units.csv``.

With an opt-in repair, ``units.csv`` also says where each unit chose to go, where it was
placed and why it was moved, ``moves.csv`` lists the moved units, and the plan files
(``assignment.csv``, ``summary.json``, ``plan.geojson``, maps, report) are written beside
them by the planner's own writer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from secession.output_dir import make_output_dir
from secession.referendum.optin import OptInResult
from secession.referendum.rules import format_percent
from secession.referendum.tally import Outcome

MAX_ROWS_SHOWN = 25


def units_table(outcome: Outcome, optin: OptInResult | None = None) -> pd.DataFrame:
    """Per-unit counts, results and (with opt-in) choice, placement and reason for a move."""
    frame = outcome.units_frame()
    if optin is not None:
        chose = np.where(optin.chose_leave, "leave", "stay")
        frame.insert(1, "name", optin.graph.names)
        frame["chose"] = chose
        if optin.plan is not None:
            placed = np.where(optin.plan.country > 0, "leave", "stay")
            frame["country"] = optin.plan.unit_country_labels()
        else:
            placed = np.full(len(frame), "stay")
            frame["country"] = "stay"
        frame["placed"] = placed
        frame["moved"] = chose != placed
        reasons = {m.unit_id: m.reason for m in optin.moves}
        frame["move_reason"] = [reasons.get(u, "") for u in frame["unit"]]
    return frame


def outcome_document(
    outcome: Outcome,
    optin: OptInResult | None = None,
    *,
    notes: Sequence[str] = (),
    sources: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The content of ``outcome.json``."""
    doc = outcome.to_dict()
    doc["notes"] = list(notes)
    doc["sources"] = sources or {}
    if optin is not None:
        doc["opt_in"] = optin.to_dict()
        doc["opt_in"]["chose_leave"] = optin.graph.ids[optin.chose_leave].tolist()
        doc["opt_in"]["leaving_after_repair"] = optin.units_leaving
        if optin.plan is not None:
            plan = optin.plan
            doc["opt_in"]["plan"] = {
                "solver": plan.solver,
                "proven_optimal": plan.proven_optimal,
                "satisfied_voters": plan.satisfied_voters,
                "best_bound": plan.best_bound,
                "seconds": plan.seconds,
                "constraints": plan.constraints.to_dict(),
            }
    return doc


def map_titles(outcome: Outcome, optin: OptInResult) -> tuple[str, str]:
    """Title and subtitle of the opt-in map: who chose to leave, who was moved and why."""
    d = optin.to_dict()
    n = outcome.counts.n_units
    title = (
        f"Referendum ({outcome.rule.name}): {d['units_chose_leave']:,} of {n:,} units "
        f"voted to leave; {d['units_leaving']:,} leave after the border repair"
    )
    if d["units_moved"]:
        subtitle = (
            f"Hatched: {d['units_moved']:,} unit(s) placed against their own vote to meet the "
            f"plan constraints ({d['voters_moved']:,} of {d['voters']:,} voters); "
            "reasons in moves.csv"
        )
    else:
        subtitle = "Every unit is placed as its own vote chose: no unit had to be moved"
    return title, subtitle


def write_outcome(
    outcome: Outcome,
    out_dir: str | Path,
    optin: OptInResult | None = None,
    *,
    notes: Sequence[str] = (),
    sources: dict[str, Any] | None = None,
    maps: bool = True,
) -> list[Path]:
    """Write ``outcome.json`` and ``units.csv`` (and ``moves.csv`` plus the plan outputs).

    The plan outputs come from :func:`secession.plan.output.write_plan` (assignment.csv,
    summary.json, plan.geojson and, with ``maps``, the maps and report).
    """
    out = make_output_dir(out_dir)
    written: list[Path] = []
    doc = outcome_document(outcome, optin, notes=notes, sources=sources)
    path = out / "outcome.json"
    path.write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")
    written.append(path)
    path = out / "units.csv"
    units_table(outcome, optin).to_csv(path, index=False)
    written.append(path)
    if optin is not None:
        path = out / "moves.csv"
        cols = ["unit_id", "name", "chose", "placed", "voters", "reason"]
        pd.DataFrame([m.to_dict() for m in optin.moves], columns=cols).to_csv(path, index=False)
        written.append(path)
        if optin.plan is not None:
            written.extend(_write_plan_outputs(outcome, optin, out, maps))
    return written


def _write_plan_outputs(outcome: Outcome, optin: OptInResult, out: Path, maps: bool) -> list[Path]:
    """The plan's own files (assignment.csv, summary.json, plan.geojson), then its maps and
    report (map.png, map.svg, map.html, report.html) titled for the referendum."""
    from secession.plan.output import write_plan

    written = [Path(p) for p in write_plan(optin.plan, out)]
    if maps:
        from secession.maps import render_plan_outputs

        title, subtitle = map_titles(outcome, optin)
        written.extend(
            Path(p) for p in render_plan_outputs(optin.plan, out, title=title, subtitle=subtitle)
        )
    return written


def _verdict(outcome: Outcome) -> str:
    if outcome.rule.unit_opt_in:
        k, n = int(outcome.unit_passed.sum()), outcome.counts.n_units
        if k:
            return f"[bold green]PASSED[/] in {k:,} of {n:,} units (each unit decides for itself)"
        return f"[bold red]NOT PASSED[/] in any of the {n:,} units"
    if outcome.passed:
        return "[bold green]PASSED[/]"
    failed = ", ".join(c.name.replace("_", " ") for c in outcome.failed)
    return f"[bold red]NOT PASSED[/] ({failed} not met)"


def _count(value: Any) -> str:
    return f"{int(value):,}"


def print_outcome(
    console: Console,
    outcome: Outcome,
    optin: OptInResult | None = None,
    *,
    notes: Sequence[str] = (),
) -> None:
    """Print the verdict, the reasons, the per-unit results and any moves."""
    console.print(_verdict(outcome), highlight=False)
    console.print(f"  rule {outcome.rule.describe()}", highlight=False)
    for cond in sorted(outcome.conditions, key=lambda c: c.passed):
        mark = "[green]ok[/]" if cond.passed else "[red]x[/] "
        console.print(f"  {mark} {cond.text}", highlight=False)
    for note in [*outcome.notes, *notes]:
        console.print(f"  note: {note}", highlight=False)
    t = outcome.totals
    parts = [f"{c} {t[c]:,}" for c in ("yes", "no", "blank", "abstain")]
    if t["eligible"] is not None:
        share = outcome.turnout_share
        turnout = "" if share is None else f" (turnout {format_percent(share)})"
        parts.append(f"eligible {t['eligible']:,}{turnout}")
    console.print("  totals: " + ", ".join(parts), highlight=False)
    frame = units_table(outcome, optin)
    if len(frame) > 1:
        _print_units(console, outcome, frame, optin)
    if optin is not None:
        _print_moves(console, optin)


def _print_units(
    console: Console, outcome: Outcome, frame: pd.DataFrame, optin: OptInResult | None
) -> None:
    """The per-unit table in input order (the first ``MAX_ROWS_SHOWN`` units)."""
    table = Table(title=f"per-unit results ({len(frame):,} units)")
    cols = ["unit"]
    if optin is not None and (frame["name"] != frame["unit"]).any():
        cols.append("name")
    cols += ["yes", "no", "blank", "yes share", "result"]
    if optin is not None:
        cols += ["placed"]
    for c in cols:
        table.add_column(c, justify="right" if c in ("yes", "no", "blank", "yes share") else "left")
    for _, row in frame.head(MAX_ROWS_SHOWN).iterrows():
        share = row["yes_share"]
        cells = {
            "unit": str(row["unit"]),
            "name": str(row.get("name", "")),
            "yes": _count(row["yes"]),
            "no": _count(row["no"]),
            "blank": _count(row["blank"]),
            "yes share": "-" if share is None or pd.isna(share) else f"{share:.2%}",
        }
        if optin is not None:
            cells["result"] = "chose leave" if row["chose"] == "leave" else "chose stay"
            cells["placed"] = row["placed"] + (" [bold](moved)[/]" if row["moved"] else "")
        else:
            cells["result"] = "yes won" if row["passed"] else "yes did not win"
        table.add_row(*(cells[c] for c in cols))
    console.print(table)
    if len(frame) > MAX_ROWS_SHOWN:
        console.print(
            f"  ... {len(frame) - MAX_ROWS_SHOWN:,} more units: see units.csv in the output folder",
            highlight=False,
        )


def _print_moves(console: Console, optin: OptInResult) -> None:
    d = optin.to_dict()
    p = optin.plan
    if p is None:
        console.print("opt-in: no unit chose to leave; the border is unchanged", highlight=False)
        return
    if p.proven_optimal:
        proof = "proven the fewest the plan constraints allow"
    elif d["voters_moved_lower_bound"] > 0:
        proof = (
            f"not proven the fewest; the solver proved at least "
            f"{d['voters_moved_lower_bound']:,} must move"
        )
    else:
        proof = "not proven the fewest; try the exact solver or a longer time limit"
    console.print(
        f"border repair: {d['units_chose_leave']:,} unit(s) chose to leave; "
        f"{d['units_leaving']:,} leave after repair; {d['units_moved']:,} unit(s) placed "
        f"against their own vote ({d['voters_moved']:,} of {d['voters']:,} voters; {proof})",
        highlight=False,
    )
    state = "proven optimal" if p.proven_optimal else f"not proven optimal, gap {p.gap:.2%}"
    console.print(f"  repair solver: {p.solver}, {state}", highlight=False)
    if optin.moves:
        named = any(m.name != m.unit_id for m in optin.moves)
        cols = ["unit", "name", "chose", "placed", "voters", "reason"]
        if not named:
            cols.remove("name")
        table = Table(title="units placed against their own vote, and why")
        for c in cols:
            table.add_column(c, justify="right" if c == "voters" else "left")
        for m in optin.moves[:MAX_ROWS_SHOWN]:
            row = {"unit": m.unit_id, "name": m.name, "chose": m.chose, "placed": m.placed}
            row |= {"voters": f"{m.voters:,}", "reason": m.reason}
            table.add_row(*(row[c] for c in cols))
        console.print(table)
        if len(optin.moves) > MAX_ROWS_SHOWN:
            console.print(
                f"  ... {len(optin.moves) - MAX_ROWS_SHOWN:,} more moved units: see moves.csv",
                highlight=False,
            )
