"""``{% audit_head %}``: the log's current size and root, for the footer of every page."""

from __future__ import annotations

from django import template

from secession.web.apps.audit.log import head

register = template.Library()


@register.inclusion_tag("audit/head_line.html")
def audit_head():
    return {"head": head()}
