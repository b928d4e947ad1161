"""Alliances: communities that stand together, decide together, and stay free to leave."""
