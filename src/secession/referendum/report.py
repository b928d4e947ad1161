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

from secession.referendum.optin import OptInResult
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
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
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
            written.extend(_write_plan_outputs(optin, out, maps))
    return written


def _write_plan_outputs(optin: OptInResult, out: Path, maps: bool) -> list[Path]:
    from secession.plan.output import write_plan

    return [Path(p) for p in write_plan(optin.plan, out, maps=maps)]


def print_outcome(
    console: Console,
    outcome: Outcome,
    optin: OptInResult | None = None,
    *,
    notes: Sequence[str] = (),
) -> None:
    """Print the verdict, the reasons, the per-unit results and any moves."""
    verdict = "[bold green]PASSED[/]" if outcome.passed else "[bold red]NOT PASSED[/]"
    console.print(f"{verdict}  {outcome.rule.describe()}", highlight=False)
    for reason in outcome.reasons:
        mark = "[red]x[/]" if "not met" in reason else "[green]ok[/]"
        console.print(f"  {mark} {reason}", highlight=False)
    for note in notes:
        console.print(f"  note: {note}", highlight=False)
    t = outcome.totals
    elig = "-" if t["eligible"] is None else f"{t['eligible']:,}"
    console.print(
        f"  totals: yes {t['yes']:,}  no {t['no']:,}  blank {t['blank']:,}  "
        f"abstain {t['abstain']:,}  eligible {elig}",
        highlight=False,
    )
    frame = units_table(outcome, optin)
    if len(frame) > 1:
        table = Table(title=f"per-unit results ({len(frame)} units)")
        cols = ["unit", "yes", "no", "blank", "yes_share", "passed"]
        if optin is not None:
            cols = ["unit", "name", "yes", "no", "yes_share", "chose", "placed"]
        for c in cols:
            table.add_column(c)
        shown = frame.sort_values("moved", ascending=False) if optin is not None else frame
        for _, row in shown.head(MAX_ROWS_SHOWN).iterrows():
            cells = []
            for c in cols:
                v = row[c]
                if c == "yes_share":
                    v = "-" if v is None or pd.isna(v) else f"{v:.2%}"
                cells.append(str(v))
            table.add_row(*cells)
        console.print(table)
        if len(frame) > MAX_ROWS_SHOWN:
            console.print(f"  ... {len(frame) - MAX_ROWS_SHOWN} more units in units.csv")
    if optin is not None:
        _print_moves(console, optin)


def _print_moves(console: Console, optin: OptInResult) -> None:
    d = optin.to_dict()
    console.print(
        f"opt-in: {d['units_chose_leave']} unit(s) chose to leave; after repair "
        f"{d['units_leaving']} leave; {d['units_moved']} unit(s) moved against their choice "
        f"({d['voters_moved']:,} of {d['voters']:,} voters)",
        highlight=False,
    )
    if optin.plan is not None:
        p = optin.plan
        proof = "proven optimal" if p.proven_optimal else f"gap {p.gap:.2%}"
        console.print(f"  repair solver: {p.solver}, {proof}", highlight=False)
    if optin.moves:
        table = Table(title="units moved against their choice")
        for c in ("unit", "name", "voters", "reason"):
            table.add_column(c)
        for m in optin.moves[:MAX_ROWS_SHOWN]:
            table.add_row(m.unit_id, m.name, f"{m.voters:,}", m.reason)
        console.print(table)
