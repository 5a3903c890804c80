"""An email message as JSON and back, so that the outbox keeps it in any database and the worker sends
exactly what the feature rendered."""

import base64
import email

from django.core.mail import EmailMessage, EmailMultiAlternatives

FIELDS = ("subject", "body", "from_email", "to", "cc", "bcc", "reply_to")


def _encode(content):
    if isinstance(content, bytes):
        return {"base64": base64.b64encode(content).decode("ascii")}
    return {"text": content}


def _decode(encoded):
    if "base64" in encoded:
        return base64.b64decode(encoded["base64"])
    return encoded["text"]


def to_json(message):
    data = {field: getattr(message, field) for field in FIELDS}
    data["headers"] = dict(message.extra_headers)
    data["alternatives"] = [
        {"content": _encode(content), "mimetype": mimetype}
        for content, mimetype in getattr(message, "alternatives", [])
    ]
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, tuple):
            filename, content, mimetype = attachment
            attachments.append({"filename": filename, "content": _encode(content), "mimetype": mimetype})
        else:  # a MIME part built by hand
            attachments.append({"mime": attachment.as_string()})
    data["attachments"] = attachments
    return data


def from_json(data):
    message = EmailMultiAlternatives if data.get("alternatives") else EmailMessage
    rebuilt = message(**{field: data[field] for field in FIELDS}, headers=data.get("headers") or None)
    for alternative in data.get("alternatives", []):
        rebuilt.attach_alternative(_decode(alternative["content"]), alternative["mimetype"])
    for attachment in data.get("attachments", []):
        if "mime" in attachment:
            rebuilt.attach(email.message_from_string(attachment["mime"]))
        else:
            rebuilt.attach(attachment["filename"], _decode(attachment["content"]), attachment["mimetype"])
    return rebuilt
