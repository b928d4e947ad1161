"""Audit event names of the registry (stored in the log; never rename one)."""

DECLARATION_PUBLISHED = "registry.declaration_published"
RECOGNISED = "registry.recognised"
RECOGNITION_WITHDRAWN = "registry.recognition_withdrawn"
RULE_SET = "registry.rule_set"
