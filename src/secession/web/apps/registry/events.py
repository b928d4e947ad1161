"""Audit event names of the registry (stored in the log; never rename one)."""

from django.utils.translation import gettext_lazy as _

DECLARATION_PUBLISHED = "registry.declaration_published"
RECOGNISED = "registry.recognised"
RECOGNITION_WITHDRAWN = "registry.recognition_withdrawn"
RULE_SET = "registry.rule_set"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    DECLARATION_PUBLISHED: _("{community} published the declaration {target}"),
    RECOGNISED: _("{community} was recognised"),
    RECOGNITION_WITHDRAWN: _("A recognition of {community} was withdrawn"),
    RULE_SET: _("{community} set how it recognises others"),
}
