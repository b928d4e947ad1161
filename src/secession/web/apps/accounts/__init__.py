"""People: registration, login with a brute-force limit, API tokens, data export, deletion."""
