"""What a subject offers for download: each dataset with its formats and their URLs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from secession.web.apps.opendata.registry import datasets, scope


def download_url(scope_name: str, key: str, name: str, fmt: str) -> str:
    return reverse("opendata:download", args=[scope_name, key, name, fmt])


def catalogue(scope_name: str, subj: Any) -> list[dict[str, Any]]:
    key = scope(scope_name).key(subj)
    return [
        {
            "name": d.name,
            "title": d.title,
            "formats": {fmt: download_url(scope_name, key, d.name, fmt) for fmt in d.formats},
        }
        for d in datasets(scope_name)
    ]
