"""Staff sign-in: the lockout page for too many failed logins, and two-factor authentication (TOTP with
one-time recovery codes) for the admin, required of superusers and the STAFF_TWO_FACTOR_GROUPS.

django-axes counts failed logins; django-otp keeps the devices and tells whether a session passed the
second step. This package adds the rules (policy.py), the screens (views.py) and the middleware that keeps
a half-signed-in session out of the admin. docs/operations.md "Staff sign-in" is the staff's guide.
"""
