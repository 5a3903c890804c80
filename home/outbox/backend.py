"""EMAIL_BACKEND for Django's and Wagtail's own email (workflow notifications, password resets, error
reports): each message goes into the outbox instead of to the mail server."""

from django.core.mail.backends.base import BaseEmailBackend

from .queue import queue_message


class QueueingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            queue_message(message, purpose="django")
        return len(email_messages)
