"""Audit event names of the registry (stored in the log; never rename one)."""

DECLARATION_PUBLISHED = "registry.declaration_published"
RECOGNISED = "registry.recognised"
RECOGNITION_WITHDRAWN = "registry.recognition_withdrawn"
RULE_SET = "registry.rule_set"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    DECLARATION_PUBLISHED: "{community} published the declaration {target}",
    RECOGNISED: "{community} was recognised",
    RECOGNITION_WITHDRAWN: "A recognition of {community} was withdrawn",
    RULE_SET: "{community} set how it recognises others",
}
