"""Communities of any kind, nested to any depth; free to join, free to leave."""
