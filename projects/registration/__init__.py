"""Event registration without an account: the form, seats and waitlist, signed links, emails."""
