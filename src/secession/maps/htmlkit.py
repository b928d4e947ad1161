"""Small helpers to write plain, self-contained HTML pages (tables, numbers, images)."""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from pathlib import Path

PAGE_CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1180px;
       padding: 16px 22px 40px; color: #222; line-height: 1.4; }
h1 { font-size: 22px; margin: 4px 0 6px; } h2 { font-size: 17px; margin: 26px 0 8px; }
p.sub { color: #444; margin: 0 0 10px; font-size: 13.5px; }
p.lede { font-size: 15px; margin: 0 0 10px; max-width: 900px; }
table { border-collapse: collapse; font-size: 13.5px; margin: 6px 0 10px; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 2px solid #999; }
span.sw { display: inline-block; width: 14px; height: 11px; border: 1px solid #111;
          vertical-align: -1px; margin-right: 6px; }
img.map { max-width: 100%; height: auto; border: 1px solid #ddd; }
.note { color: #555; font-size: 12.5px; }
.nw { white-space: nowrap; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 14px; }
.grid figure { margin: 0; } .grid figcaption { font-size: 13px; }
"""


def esc(value: object) -> str:
    return html.escape(str(value))


def num(value: float, digits: int = 0) -> str:
    """Thousands-separated number; a dash for a missing (NaN) value."""
    if value != value:  # NaN
        return "–"
    return f"{value:,.{digits}f}"


def pct(value: float, digits: int = 1) -> str:
    return f"{value * 100:.{digits}f}%"


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Sequence[bool] | None = None,
    total: Sequence[str] | None = None,
    attrs: str = "",
) -> str:
    """An HTML table; cells are already-escaped HTML strings."""
    numeric = list(numeric or [False] * len(header))
    head = "".join(
        f'<th class="n">{h}</th>' if n else f"<th>{h}</th>"
        for h, n in zip(header, numeric, strict=True)
    )

    def row(cells: Sequence[str], cls: str = "") -> str:
        tds = "".join(
            f'<td class="n">{c}</td>' if n else f"<td>{c}</td>"
            for c, n in zip(cells, numeric, strict=True)
        )
        return f'<tr class="{cls}">{tds}</tr>' if cls else f"<tr>{tds}</tr>"

    body = "\n".join(row(r) for r in rows)
    if total is not None:
        body += "\n" + row(total, "total")
    return f"<table {attrs}><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"


def image_data_uri(path: str | Path) -> str:
    """A ``data:`` URI holding the PNG at ``path`` (keeps reports one self-contained file)."""
    raw = Path(path).read_bytes()
    return "data:image/png;base64," + base64.b64encode(raw).decode("ascii")


def page(title: str, body: str, lang: str = "en") -> str:
    """A whole HTML page in language ``lang``."""
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{esc(title)}</title>\n<style>{PAGE_CSS}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )
