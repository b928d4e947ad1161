"""Rules and results as sentences in templates: ``{{ rule|rule_sentence }}`` and
``{% result_sentence rule result %}`` (see proposals.rule_words and proposals.result_words)."""

from django import template

from secession.exceptions import RuleError
from secession.web.apps.proposals.result_words import stored_result_sentence
from secession.web.apps.proposals.rule_words import stored_rule_sentence

register = template.Library()


@register.filter
def rule_sentence(rule: dict) -> str:
    try:
        return stored_rule_sentence(rule)
    except (RuleError, TypeError, ValueError):
        return "A rule this platform can no longer read."


@register.simple_tag
def result_sentence(rule: dict, result: dict) -> str:
    return stored_result_sentence(rule, result)
