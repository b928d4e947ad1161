"""The export registry: every app registers the public data it can export.

A **scope** is what an export is about: a ``community`` (registered by the communities
app), the whole ``site`` (registered here), and later an alliance or the registry of
recognitions. A **dataset** belongs to a scope and says how to produce its data from the
subject, as pure functions of the database (no request), in a stable order:

- ``rows(subject)``: an iterable of flat dicts with the dataset's ``columns`` (JSON and
  CSV);
- ``features(subject)``: GeoJSON Features (GeoJSON);
- ``document(subject)``: one JSON document (e.g. Popolo).

Apps call :func:`register_scope` / :func:`register_dataset` from their ``wiring.py``; the
app that owns a scope's licence setting calls :func:`register_licence_source`. This app
imports no other app: it sits below them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from secession.web.apps.opendata.licences import DEFAULT, SITE, Licence

JSON, CSV, GEOJSON = "json", "csv", "geojson"


class UnknownExport(LookupError):
    """No such scope, subject, dataset or format (the message says which)."""


@dataclass(frozen=True)
class Scope:
    name: str
    #: key -> the subject (``None`` when there is none such)
    resolve: Callable[[str], Any]
    #: the subject's key in URLs and file names, and its name in the notice
    key: Callable[[Any], str]
    source: Callable[[Any], str]
    #: the permission (``rules``) a reader needs, asked about the subject
    permission: str


@dataclass(frozen=True)
class Dataset:
    scope: str
    name: str
    title: str
    columns: tuple[str, ...] = ()
    rows: Callable[[Any], Iterable[dict[str, Any]]] | None = None
    features: Callable[[Any], Iterable[dict[str, Any]]] | None = None
    document: Callable[[Any], dict[str, Any]] | None = None
    order: int = 100

    @property
    def formats(self) -> tuple[str, ...]:
        found = []
        if self.rows is not None or self.document is not None:
            found.append(JSON)
        if self.rows is not None:
            found.append(CSV)
        if self.features is not None:
            found.append(GEOJSON)
        return tuple(found)


_SCOPES: dict[str, Scope] = {}
_DATASETS: dict[tuple[str, str], Dataset] = {}
_LICENCES: dict[str, Callable[[Any], Licence]] = {}


def register_scope(scope: Scope) -> None:
    _SCOPES[scope.name] = scope


def register_dataset(dataset: Dataset) -> None:
    if not dataset.formats:
        raise ValueError(f"dataset {dataset.name!r} gives neither rows, features nor a document")
    if dataset.rows is not None and not dataset.columns:
        raise ValueError(f"dataset {dataset.name!r} gives rows but names no columns")
    _DATASETS[(dataset.scope, dataset.name)] = dataset


def register_licence_source(scope: str, source: Callable[[Any], Licence]) -> None:
    """``source(subject)`` is the licence the subject chose for its data."""
    _LICENCES[scope] = source


def scope(name: str) -> Scope:
    try:
        return _SCOPES[name]
    except KeyError:
        raise UnknownExport(
            f"no export scope {name!r} (known: {', '.join(sorted(_SCOPES))})"
        ) from None


def subject(scope_name: str, key: str) -> Any:
    """The subject ``key`` of the scope; ``UnknownExport`` when there is none."""
    found = scope(scope_name).resolve(key)
    if found is None:
        raise UnknownExport(f"no {scope_name} {key!r}")
    return found


def datasets(scope_name: str) -> list[Dataset]:
    """The scope's datasets, in the order pages list them."""
    return sorted(
        (d for (s, _), d in _DATASETS.items() if s == scope_name), key=lambda d: (d.order, d.name)
    )


def dataset(scope_name: str, name: str, fmt: str | None = None) -> Dataset:
    found = _DATASETS.get((scope(scope_name).name, name))
    if found is None:
        known = ", ".join(d.name for d in datasets(scope_name))
        raise UnknownExport(f"no {scope_name} dataset {name!r} (known: {known})")
    if fmt is not None and fmt not in found.formats:
        raise UnknownExport(
            f"dataset {name!r} is not offered as {fmt!r} (formats: {', '.join(found.formats)})"
        )
    return found


def licence_of(scope_name: str, subj: Any) -> Licence:
    source = _LICENCES.get(scope_name)
    if source is not None:
        return source(subj)
    return SITE if scope_name == "site" else DEFAULT


class _Site:
    """The one subject of the ``site`` scope."""

    key = "all"

    def __repr__(self) -> str:
        return "site"


SITE_SUBJECT = _Site()

register_scope(
    Scope(
        "site",
        resolve=lambda key: SITE_SUBJECT if key == SITE_SUBJECT.key else None,
        key=lambda subj: SITE_SUBJECT.key,
        source=lambda subj: "this secession platform",
        permission="audit.view_log",
    )
)
