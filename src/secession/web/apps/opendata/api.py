"""Open data endpoints: what a subject offers, and each export (public, no login)."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.errors import HttpError

from secession.web.apiauth import reader, require
from secession.web.apps.opendata import http
from secession.web.apps.opendata.catalogue import catalogue
from secession.web.apps.opendata.registry import UnknownExport, scope, subject

router = Router(tags=["open data"])


class ErrorOut(Schema):
    detail: str


class DatasetOut(Schema):
    name: str
    title: str
    formats: dict[str, str]  # format -> download URL


@router.get("/{scope_name}/{key}", response={200: list[DatasetOut], 404: ErrorOut}, auth=None)
def offered(request, scope_name: str, key: str):
    """The datasets of a subject (``community``/slug, ``site``/all) with their URLs."""
    try:
        subj = subject(scope_name, key)
    except UnknownExport as exc:
        raise HttpError(404, str(exc)) from None
    require(reader(request), scope(scope_name).permission, subj)
    return catalogue(scope_name, subj)


@router.get("/{scope_name}/{key}/{name}.{fmt}", response={200: None, 404: ErrorOut}, auth=None)
def export(request, scope_name: str, key: str, name: str, fmt: str):
    """One export (json, csv or geojson), with the licence and the free-copying notice."""
    try:
        return http.download(reader(request), scope_name, key, name, fmt)
    except UnknownExport as exc:
        raise HttpError(404, str(exc)) from None
