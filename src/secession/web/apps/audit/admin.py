"""No admin for the audit log: it is append-only and read through its pages and API."""
