"""Support applications from organizations: the public form, its emails and staff's review."""
