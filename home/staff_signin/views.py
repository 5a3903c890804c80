"""The second step after the password: the code from the authenticator app or a recovery code, enrolment
of an authenticator, and the recovery codes shown once.

These screens are reached by a session that has the password but not the second step, so they are not
behind Wagtail's admin-access check; each asks for a signed-in user itself. They look like the admin's
sign-in page.
"""

import math
from urllib.parse import urlencode

import django_otp
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.utils import get_valid_next_url_from_request

from . import devices
from .forms import AuthenticatorCodeForm, RecoveryCodeForm
from .policy import ENROL, VERIFY, pending_step
from .qr import qr_svg

NEW_CODES_SESSION_KEY = "staff_signin_new_codes"
WRONG_CODE = "確認コードが正しくありません。認証アプリに表示されている最新の6桁を入力してください。"
WRONG_RECOVERY_CODE = "回復コードが正しくないか、すでに使われています。"


def throttled_message(error):
    seconds = max(1, math.ceil((error.until - timezone.now()).total_seconds()))
    wait = f"{seconds}秒" if seconds < 120 else f"{math.ceil(seconds / 60)}分"
    return (
        f"誤ったコードが続いたため、しばらく受け付けません。{wait}ほど待ってから、もう一度入力してください。"
    )


def _signed_in(view):
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('wagtailadmin_login')}?next={reverse('wagtailadmin_home')}")
        return view(request, *args, **kwargs)

    return wrapper


def _next_url(request):
    return get_valid_next_url_from_request(request) or reverse("wagtailadmin_home")


def _step_url(name, request):
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


def _passed(request, device):
    """The session passed the second step with `device`; a new session key, as after any sign-in."""
    django_otp.login(request, device)
    request.session.cycle_key()


def _check_code(request, form, verify, wrong_message):
    """The device that accepted the form's code, or None with the reason added to the form."""
    if not form.is_valid():
        return None
    try:
        device = verify(request.user, form.cleaned_data["code"])
    except devices.Throttled as error:
        form.add_error("code", throttled_message(error))
        return None
    if device is None:
        form.add_error("code", wrong_message)
    return device


def _code_step(request, form_class, verify, wrong_message, template):
    step = pending_step(request.user)
    if step == ENROL:
        return redirect(_step_url("staff_signin_enrol", request))
    if step != VERIFY:
        return redirect(_next_url(request))
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        device = _check_code(request, form, verify, wrong_message)
        if device is not None:
            _passed(request, device)
            return device
    return render(request, template, {"form": form, "next": _next_url(request)})


@_signed_in
def verify(request):
    """The code from the authenticator app."""
    outcome = _code_step(
        request, AuthenticatorCodeForm, devices.verify_authenticator, WRONG_CODE, "staff_signin/verify.html"
    )
    return redirect(_next_url(request)) if isinstance(outcome, devices.TOTPDevice) else outcome


@_signed_in
def recovery(request):
    """A recovery code instead, when the phone is lost or not at hand; each works once."""
    outcome = _code_step(
        request,
        RecoveryCodeForm,
        devices.verify_recovery_code,
        WRONG_RECOVERY_CODE,
        "staff_signin/recovery.html",
    )
    if not isinstance(outcome, devices.StaticDevice):
        return outcome
    left = devices.recovery_codes_left(request.user)
    messages.warning(
        request,
        f"回復コードでサインインしました。残りの回復コードは{left}個です。"
        "認証アプリを設定し直すか、回復コードを作り直してください(二段階認証の設定画面)。",
    )
    return redirect(_next_url(request))


@_signed_in
def enrol(request):
    """Set up an authenticator app: its QR code and key, then one code from it to prove it works.

    A user who has an authenticator must first pass the second step with it, so that a stolen password
    alone cannot replace it.
    """
    if pending_step(request.user) == VERIFY:
        return redirect(_step_url("staff_signin_verify", request))
    device = devices.pending_authenticator(request.user)
    form = AuthenticatorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = devices.confirm_authenticator(device, form.cleaned_data["code"])
        except devices.Throttled as error:
            form.add_error("code", throttled_message(error))
        else:
            if confirmed:
                _passed(request, device)
                messages.success(
                    request, "二段階認証を設定しました。次回からはサインインのたびに確認コードを入力します。"
                )
                if devices.recovery_codes_left(request.user) == 0:
                    return _show_new_codes(request, devices.new_recovery_codes(request.user))
                return redirect(_next_url(request))
            form.add_error(
                "code",
                WRONG_CODE + "スマートフォンの時刻が自動設定になっているかも確かめてください。",
            )
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_code": qr_svg(device.config_url),
        "key": devices.base32_key(device),
    }
    return render(request, "staff_signin/enrol.html", context)


def _show_new_codes(request, codes):
    request.session[NEW_CODES_SESSION_KEY] = codes
    return redirect(_step_url("staff_signin_new_codes", request))


@_signed_in
def new_codes(request):
    """The recovery codes just made, shown once: they leave the session as they are shown."""
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if not codes:
        messages.info(
            request,
            "回復コードは作ったときに一度だけ表示します。必要なら二段階認証の設定画面で作り直してください。",
        )
        return redirect(reverse("staff_signin_overview"))
    return render(request, "staff_signin/new_codes.html", {"codes": codes, "next": _next_url(request)})
