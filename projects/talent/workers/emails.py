"""Emails to pro bono workers: the link that confirms the address, the manage link for someone already
registered, the welcome once confirmed, and the goodbye after withdrawal.

Each is plain text with an HTML alternative, signed with the center's name and contact details from the
settings of the registration page's site. Sending never raises: a failure is logged by the worker's
number only, and the person may submit the form again to get a new link.

The form's email goes to an address not yet confirmed, so under the public forms' policy
(home/mail_policy.py) it quotes only the name, bounded, and one address gets it at most once a window
however often the form is sent.
"""

import logging

from home import mail_policy
from home.mail import send_templated_email
from home.origin import absolute_url, page_url

from .tokens import CONFIRM, MANAGE, MAX_AGE, make_token

logger = logging.getLogger(__name__)

SUBJECTS = {
    "confirm": "【要確認】プロボノワーカー登録のメールアドレスをご確認ください",
    "already_registered": "【ご案内】プロボノワーカー登録の確認・変更のためのリンク",
    "activated": "【登録完了】プロボノワーカーとしてご登録いただきました",
    "withdrawn": "【退会完了】プロボノワーカーの登録を削除しました",
}


def page_path(page, route, *args):
    """The path, within its site, of one of the registration page's routes."""
    _, _, base = page.get_url_parts()
    return base + page.reverse_subpage(route, args=list(args))


def confirm_url(page, worker):
    return page_path(page, "confirm_route", make_token(worker, CONFIRM))


def manage_url(page, worker):
    return page_path(page, "manage_route", make_token(worker, MANAGE))


def _send(page, kind, name, email, worker=None, worker_id=None):
    context = {
        "kind": kind,
        "name": mail_policy.quoted(name),
        "page_url": page_url(page),
        "confirm_days": MAX_AGE[CONFIRM].days,
    }
    if worker is not None and kind == "confirm":
        context["confirm_url"] = absolute_url(confirm_url(page, worker))
    if worker is not None and kind in ("already_registered", "activated"):
        context["manage_url"] = absolute_url(manage_url(page, worker))
    number = worker.pk if worker is not None else worker_id
    return send_templated_email(
        f"emails/worker_{kind}",
        subject=SUBJECTS[kind],
        to=[email],
        context=context,
        site=page.get_site(),
        logger=logger,
        failure=("Could not send the worker %s email for worker %s", kind, number),
    )


def send_registration_email(page, worker, created=False):
    """After the form: a confirmation link to a pending worker, the manage link to a registered one;
    each once a window per address. `created` says this submission made the worker: while the cache is down,
    only such a submission sends."""
    kind = "confirm" if worker.status == "pending" else "already_registered"
    return mail_policy.send_once(
        f"worker-{kind}-{worker.pk}",
        worker.email,
        lambda: _send(page, kind, worker.name, worker.email, worker),
        fallback=lambda: created,
    )


def send_activated_email(page, worker):
    return _send(page, "activated", worker.name, worker.email, worker)


def send_withdrawn_email(page, worker_id, email):
    """To the address a withdrawn worker had; their name is already erased."""
    return _send(page, "withdrawn", "", email, worker_id=worker_id)
