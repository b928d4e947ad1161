"""Security headers Django's own middleware does not set."""

from __future__ import annotations

#: powerful browser features no page of the platform uses
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "midi=(), magnetometer=(), gyroscope=(), accelerometer=(), "
    "display-capture=(), browsing-topics=()"
)


class SecurityHeaders:
    """Middleware: ``Permissions-Policy`` and ``Cross-Origin-Resource-Policy`` on every
    answer (the CSP comes from django-csp, the rest from Django's SecurityMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
