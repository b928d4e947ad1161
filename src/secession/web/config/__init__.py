"""Django settings (base, dev, test, production), URLs, WSGI entry point and the JSON API."""
