"""No Django admin: the platform is run through its pages, API and command line."""
