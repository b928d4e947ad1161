"""Join results to boundaries by id and report every mismatch by id and name.

Policy (``on_mismatch``): ``"error"`` raises :class:`DataError` listing every problem;
``"drop"`` removes the units involved; ``"keep"`` keeps them (a result with no boundary
becomes a unit with no geometry and no neighbour, a boundary with no result a unit with
zero votes, repeated rows stay as they are). Bad ids, bad counts and duplicate ids cannot
be kept (``keep`` raises for them). Invalid geometries are always repaired with
``shapely.make_valid`` and reported; a boundary whose geometry is missing keeps its votes
as a unit with no neighbour (reported). Every decision lands in the :class:`ValidationReport`.

For the US county layouts, known facts about the reporting units are applied and reported
(kinds ``merged`` and ``renamed``), never silently: the District of Columbia reports one
result for its eight ward boundaries, Kalawao County votes with Maui County, and 2016's
Shannon County (46113) is today's Oglala Lakota County (46102).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from secession.exceptions import DataError

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from secession.geo.boundaries import Boundaries
    from secession.geo.results import ResultsTable

log = logging.getLogger(__name__)

POLICIES = ("error", "drop", "keep")

KINDS: dict[str, str] = {
    "bad_id": "rows with a missing or malformed id",
    "bad_count": "negative or non-numeric counts",
    "duplicate_id": "duplicate ids",
    "repeated_votes": "rows repeating identical votes under different ids",
    "result_without_boundary": "results with no boundary",
    "boundary_without_result": "boundaries with no result",
    "invalid_geometry": "invalid geometries (repaired)",
    "renamed": "result ids renamed to their current code",
    "merged": "boundaries merged into the unit that reports their votes",
    "linked": "units linked to their nearest neighbour (`link_islands`)",
}
# Kinds the policy decides; the others are always repaired or applied and reported.
DECIDED = (
    "bad_id",
    "bad_count",
    "duplicate_id",
    "repeated_votes",
    "result_without_boundary",
    "boundary_without_result",
)
NOT_KEEPABLE = ("bad_id", "bad_count", "duplicate_id")

# Known reporting-unit facts of the US county results against county/ward boundaries.
# Boundary id -> result id whose votes cover it.
US_COUNTY_MERGES: dict[str, tuple[str, str]] = {
    **{
        f"1100{w}": ("11001", "the District of Columbia reports one result for all its wards")
        for w in range(2, 9)
    },
    "15005": ("15009", "Kalawao County, Hawaii votes with Maui County"),
}
# Old result id -> current boundary id.
US_COUNTY_RENAMES: dict[str, tuple[str, str]] = {
    "46113": ("46102", "Shannon County, SD became Oglala Lakota County (46102) in 2015"),
}


@dataclass
class Issue:
    """One problem or decision: what (``kind``), which unit (id and name), where, and action."""

    kind: str
    unit_id: str
    name: str
    detail: str = ""
    source: str = ""
    action: str = ""

    def describe(self) -> str:
        name = "" if self.name == self.unit_id else self.name
        text = f"{self.unit_id or '(no id)'} {name}".rstrip()
        if self.detail:
            text += f": {self.detail}"
        return text + (f" ({self.source})" if self.source else "")


@dataclass
class ValidationReport:
    """Every mismatch found while loading, with the decision taken for it."""

    policy: str = "error"
    issues: list[Issue] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def of(self, kind: str) -> list[Issue]:
        return [i for i in self.issues if i.kind == kind]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for issue in self.issues:
            out[issue.kind] = out.get(issue.kind, 0) + 1
        return out

    @property
    def ok(self) -> bool:
        """True when nothing had to be decided, repaired or merged."""
        return not self.issues

    def ids(self, kind: str) -> list[str]:
        return [i.unit_id for i in self.of(kind)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "sources": list(self.sources),
            "counts": self.counts(),
            "issues": [asdict(i) for i in self.issues],
        }

    def message(self, kinds: tuple[str, ...] = DECIDED, limit: int = 60) -> str:
        """Human-readable list of the issues of ``kinds``, grouped by kind."""
        lines = []
        for kind in KINDS:
            found = [i for i in self.of(kind) if i.kind in kinds]
            if not found:
                continue
            lines.append(f"{KINDS[kind]} ({len(found)}):")
            lines.extend(f"  {i.describe()}" for i in found[:limit])
            if len(found) > limit:
                lines.append(f"  ... and {len(found) - limit} more")
        return "\n".join(lines)

    def enforce(self) -> None:
        """Raise for issues the policy does not allow; mark the others with their action."""
        decided = [i for i in self.issues if i.kind in DECIDED]
        if self.policy == "error" and decided:
            raise DataError(
                "the input does not match (nothing was dropped; choose `on_mismatch` drop "
                "or keep to proceed):\n" + self.message()
            )
        if self.policy == "keep":
            refused = tuple(k for k in NOT_KEEPABLE if self.of(k))
            if refused:
                raise DataError(
                    "`on_mismatch` keep cannot keep these (fix the file, or use "
                    "`on_mismatch` drop):\n" + self.message(refused)
                )
        action = {"drop": "dropped", "keep": "kept"}.get(self.policy, "")
        for issue in decided:
            issue.action = action
            if issue.kind == "repeated_votes" and action == "kept":
                issue.action = "kept (its votes count once per row)"
            log.info("%s %s: %s", action, KINDS[issue.kind], issue.describe())


def check_policy(policy: str) -> str:
    if policy not in POLICIES:
        raise DataError(f"`on_mismatch` must be one of {', '.join(POLICIES)}, not {policy!r}")
    return policy


# --------------------------------------------------------------------------- checks
def bad_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose id or counts could not be read (their issues are already recorded)."""
    cols = ["leave", "stay", "other"]
    bad = frame[cols].isna().any(axis=1).to_numpy() | (frame["id"] == "").to_numpy()
    if frame.attrs.get("population_given"):
        bad |= frame["population"].isna().to_numpy()
    return bad


def duplicate_issues(
    ids: pd.Series, names: pd.Series, source: str, lines: pd.Series | None = None
) -> list[Issue]:
    """One issue per row whose id appears more than once (empty ids ignored)."""
    dup = ids.duplicated(keep=False).to_numpy() & (ids != "").to_numpy()
    rows = np.flatnonzero(dup)
    # positions of each duplicated id, found once (not one scan of all ids per row)
    groups = pd.Series(rows).groupby(ids.to_numpy()[rows], sort=False, dropna=False)
    detail_of = {}
    for uid, pos in groups.indices.items():
        detail_of[uid] = f"appears {len(pos)} times"
        if lines is not None:
            places = ", ".join(str(int(lines.iat[j])) for j in rows[pos])
            detail_of[uid] += f" (lines {places})"
    out = []
    for i in rows:
        uid = ids.iat[i]
        src = source if lines is None else f"{source}:{int(lines.iat[i])}"
        out.append(Issue("duplicate_id", str(uid), str(names.iat[i]), detail_of[uid], src))
    return out


def repeated_vote_issues(frame: pd.DataFrame, source: str, ok: np.ndarray) -> list[Issue]:
    """Rows of one state that repeat identical vote counts under different ids.

    In ``2016.csv`` Alaska's 29 rows all repeat the statewide totals; counting them as
    units would count Alaska 29 times.
    """
    sub = frame[ok & (frame[["leave", "stay", "other"]].sum(axis=1) > 0).to_numpy()]
    key = ["state", "leave", "stay", "other"] if "state" in sub else ["leave", "stay", "other"]
    sub = sub[sub.duplicated(key, keep=False).to_numpy()]
    out = []
    for _, group in sub.groupby(key, sort=False):
        if len(group) < 2:
            continue
        first = group.iloc[0]
        lines = group["line"].astype(int).tolist()
        detail = (
            f"{len(group)} rows{' of ' + first['state'] if 'state' in group else ''} repeat "
            f"the same votes ({first['leave']:,.0f} / {first['stay']:,.0f} / "
            f"{first['other']:,.0f} other), lines {lines[0]}–{lines[-1]}"
        )
        for _, row in group.iterrows():
            out.append(
                Issue("repeated_votes", row["id"], row["name"], detail, f"{source}:{row['line']}")
            )
    return out


STATEWIDE_SUFFIX = "000"


def statewide_units(
    frame: pd.DataFrame, bad: np.ndarray, b_ids: pd.Series, source: str
) -> tuple[pd.DataFrame, np.ndarray, dict[str, tuple[list[Issue], str]]]:
    """Merge a state's rows that all repeat the statewide totals into one statewide unit.

    ``2016.csv`` reports Alaska as 29 borough rows that each carry the statewide votes;
    none of their ids has a boundary in the 2020 layout (40 election districts). Such a
    state becomes one unit ``<state FIPS>000`` whose boundary is all of the state's
    boundaries, counted once; every merged row is listed. Returns the new frame, its bad
    rows, and per statewide id its issues and state FIPS.
    """
    from secession.geo.states import state_of_fips

    have = set(b_ids.tolist())
    merged: dict[str, tuple[list[Issue], str]] = {}
    if "state" not in frame:
        return frame, bad, merged
    drop = np.zeros(len(frame), dtype=bool)
    frame = frame.copy()
    for state, rows in frame[~bad].groupby("state", sort=False):
        if len(rows) < 2 or rows["id"].isin(have).any():
            continue
        votes = rows[["leave", "stay", "other"]]
        if not (votes == votes.iloc[0]).all(axis=None) or votes.iloc[0].sum() <= 0:
            continue
        fips = str(rows["id"].iloc[0])[:2]
        if not any(b.startswith(fips) for b in have):
            continue
        st = state_of_fips(fips + "001")
        target = fips + STATEWIDE_SUFFIX
        first = rows.index[0]
        lines = rows["line"].astype(int).tolist()
        detail = (
            f"{len(rows)} rows of {state} repeat the statewide totals "
            f"({votes.iloc[0]['leave']:,.0f} / {votes.iloc[0]['stay']:,.0f} / "
            f"{votes.iloc[0]['other']:,.0f} other), lines {lines[0]}–{lines[-1]}: one "
            f"statewide unit {target}, drawn with every {state} boundary, counts them once"
        )
        issues = [
            Issue(
                "merged",
                str(r["id"]),
                str(r["name"]),
                detail,
                f"{source}:{r['line']}",
                f"merged into {target}",
            )
            for _, r in rows.iterrows()
        ]
        frame.loc[first, "id"] = target
        frame.loc[first, "name"] = f"{st.name if st else state} (statewide)"
        drop[frame.index.get_indexer(rows.index[1:])] = True
        merged[target] = (issues, fips)
    keep = ~drop
    return frame[keep].reset_index(drop=True), bad[keep], merged


def repair_geometry(
    geometry: gpd.GeoSeries, ids: list[str], names: list[str], source: str
) -> tuple[gpd.GeoSeries, list[Issue]]:
    """Repair invalid polygons with ``shapely.make_valid`` (polygonal part kept); report each."""
    import geopandas as gpd
    import shapely

    values = np.asarray(geometry.values, dtype=object)
    missing = np.array([g is None for g in values])
    arr = np.where(missing, shapely.Polygon(), values)
    valid = shapely.is_valid(arr)
    empty = shapely.is_empty(arr)
    issues = []
    for i in np.flatnonzero(~valid):
        reason = shapely.is_valid_reason(arr[i]).split("[")[0]
        fixed = _polygonal(shapely.make_valid(arr[i]))
        arr[i] = fixed
        issues.append(
            Issue("invalid_geometry", ids[i], names[i], f"{reason}; repaired", source, "repaired")
        )
    for i in np.flatnonzero(empty & valid):
        issues.append(
            Issue(
                "invalid_geometry",
                ids[i],
                names[i],
                "missing or empty geometry; kept with no neighbours",
                source,
                "kept",
            )
        )
    return gpd.GeoSeries(arr, crs=geometry.crs), issues


def _polygonal(geom):
    import shapely

    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [
        p for p in shapely.get_parts(geom).tolist() if p.geom_type in ("Polygon", "MultiPolygon")
    ]
    return shapely.union_all(parts) if parts else shapely.Polygon()


# --------------------------------------------------------------------------- join
@dataclass
class Joined:
    """Units after the join: one row per unit, geometry aligned, boundary -> unit map."""

    units: pd.DataFrame
    geometry: Any  # GeoSeries aligned with units
    boundary_unit: np.ndarray  # per boundary row: unit position, or -1 when dropped
    report: ValidationReport


def join(
    results: ResultsTable,
    boundaries: Boundaries,
    *,
    policy: str = "error",
) -> Joined:
    """Match results to boundaries by id; report and decide every mismatch."""
    import geopandas as gpd
    import shapely

    check_policy(policy)
    rsrc, bsrc = str(results.path), str(boundaries.path)
    report = ValidationReport(policy, list(results.issues), [rsrc, bsrc])
    frame = results.frame.copy()
    frame["id"] = frame["id"].astype(str)
    bad = bad_rows(frame)
    b_ids = pd.Series(boundaries.ids, dtype=object).astype(str)
    b_names = pd.Series(boundaries.names, dtype=object).astype(str)

    b_index = {uid: i for i, uid in enumerate(b_ids.tolist())}
    merge_into: dict[str, str] = {}
    if results.is_us_county:
        frame, bad, merged = statewide_units(frame, bad, b_ids, rsrc)
        for target, (issues, state_fips) in merged.items():
            report.issues += issues
            for bid in b_ids.tolist():
                if bid.startswith(state_fips) and bid not in set(frame["id"]):
                    merge_into[bid] = target

    report.issues += duplicate_issues(frame["id"], frame["name"], rsrc, frame["line"])
    report.issues += duplicate_issues(b_ids, b_names, bsrc)
    if results.is_us_county:
        report.issues += repeated_vote_issues(frame, rsrc, ~bad)

    r_set = set(frame["id"].tolist())
    if results.is_us_county:
        for old, (new, why) in US_COUNTY_RENAMES.items():
            if old in r_set and old not in b_index and new in b_index and new not in r_set:
                row = frame.index[frame["id"] == old][0]
                frame.loc[row, "id"] = new
                report.issues.append(
                    Issue("renamed", old, frame.at[row, "name"], why, rsrc, f"renamed to {new}")
                )
        r_set = set(frame["id"].tolist())
        for bid, (target, why) in US_COUNTY_MERGES.items():
            if bid in b_index and bid not in r_set and target in r_set and target in b_index:
                merge_into[bid] = target
                report.issues.append(
                    Issue(
                        "merged", bid, b_names.iat[b_index[bid]], why, bsrc, f"merged into {target}"
                    )
                )

    statewide = set(merge_into.values())
    unmatched = ~frame["id"].isin(b_index) & ~frame["id"].isin(statewide)
    for i in np.flatnonzero(unmatched.to_numpy() & (frame["id"] != "")):
        report.issues.append(
            Issue(
                "result_without_boundary",
                frame["id"].iat[i],
                frame["name"].iat[i],
                "no boundary has this id",
                f"{rsrc}:{frame['line'].iat[i]}",
            )
        )
    for i in np.flatnonzero((~b_ids.isin(r_set)).to_numpy()):
        if b_ids.iat[i] in merge_into or merge_into.get(b_ids.iat[i]) in r_set:
            continue
        report.issues.append(
            Issue(
                "boundary_without_result",
                b_ids.iat[i],
                b_names.iat[i],
                "no result has this id",
                bsrc,
            )
        )
    geometry, geo_issues = repair_geometry(
        boundaries.geometry, b_ids.tolist(), b_names.tolist(), bsrc
    )
    report.issues += geo_issues
    report.enforce()

    # Decide which result rows become units.
    drop_ids = set()
    if policy == "drop":
        for kind in ("duplicate_id", "repeated_votes", "result_without_boundary"):
            drop_ids |= {i.unit_id for i in report.of(kind)}
    keep_rows = ~bad & ~frame["id"].isin(drop_ids).to_numpy()
    units = frame[keep_rows].drop(columns=["line"]).copy()
    if policy == "keep":
        extra = [i.unit_id for i in report.of("boundary_without_result")]
        if extra:
            add = pd.DataFrame({"id": extra, "name": [b_names.iat[b_index[u]] for u in extra]})
            for col in ("leave", "stay", "other"):
                add[col] = 0.0
            add["population"] = 0.0 if results.frame.attrs.get("population_given") else np.nan
            if "state" in units:
                from secession.geo.states import state_of_fips

                st = [state_of_fips(u) for u in extra]
                add["state"] = [s.code if s else "" for s in st]
                add["state_name"] = [s.name if s else "" for s in st]
            units = pd.concat([units, add], ignore_index=True)
    units = units.sort_values("id", kind="stable").reset_index(drop=True)
    u_index = {uid: k for k, uid in enumerate(units["id"].tolist())}

    boundary_unit = np.array(
        [u_index.get(merge_into.get(uid, uid), -1) for uid in b_ids.tolist()], dtype=np.int64
    )
    parts: list[list[Any]] = [[] for _ in range(len(units))]
    geoms = np.asarray(geometry.values, dtype=object)
    for b, u in enumerate(boundary_unit.tolist()):
        if u >= 0:
            parts[u].append(geoms[b])
    unit_geoms = [
        p[0] if len(p) == 1 else (shapely.union_all(p) if p else shapely.Polygon()) for p in parts
    ]
    unit_geometry = gpd.GeoSeries(unit_geoms, crs=boundaries.crs)
    return Joined(units, unit_geometry, boundary_unit, report)
