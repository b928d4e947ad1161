"""Translations of texts written by people (constitutions, charters, declarations)."""
