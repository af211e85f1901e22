"""Staff sign-in's second factor: a TOTP code after the password (django-otp).

Who is asked. With `settings.OTP_REQUIRED` (on unless DEBUG), superusers and
members of `settings.OTP_REQUIRED_GROUPS` (Publisher by default) must sign
in with a code; the admin refuses them any page until they have. Everyone
else may enrol an authenticator app and is then asked for its code too; a
user without one signs in with the password alone. Locally (`make run`,
DEBUG on) nobody is required to, so nobody is asked unless they enrolled.

How. The password step (`StaffLoginView`) does not sign anybody in who owes a
code: it notes the user in the session as *pending* for a few minutes and
sends them to the code step (`token_view`), or, if they must use a second
factor and have no device yet, to enrolment (`enrol_view`: a QR code drawn
here as SVG, a code to prove it works, then ten recovery codes shown once).
Only then does `django.contrib.auth.login` run, with the device remembered in
the session (django_otp's OTPMiddleware reads it on every request).

A wrong code counts as a wrong password toward the sign-in pause
(editorial/logins.py), and django-otp slows each device down after failures
on top of that; a paused account is refused at the code step as well. A
complete sign-in clears the account's count.

Recovery. A recovery code (django-otp's static tokens) works once, in place of
the app's code. A superuser resets someone's second factor by deleting their
devices in the admin (TOTP devices, Static devices); `manage.py
reset_second_factor <username>` does the same from the shell, for the last
superuser locked out. Either way the user enrols again at the next sign-in.
"""

import base64
import time

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from editorial.logins import locked_message, record_failure, seconds_locked, unlock

PENDING = "second_factor_pending"  # session key: who passed the password step
PROPOSED_KEY = "second_factor_key"  # session key: the secret being enrolled
PENDING_SECONDS = 300  # how long the code step waits after the password
RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def must_use(user: AbstractBaseUser) -> bool:
    """Whether `user` may not reach the admin without a second factor."""
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=settings.OTP_REQUIRED_GROUPS).exists()


def has_device(user: AbstractBaseUser) -> bool:
    return any(devices_for_user(user, confirmed=True))


def satisfied(request: HttpRequest) -> bool:
    """The signed-in user has given a code, or owes none."""
    user = request.user
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified()) or not must_use(user)


def verify(user: AbstractBaseUser, token: str) -> object | None:
    """The device of `user` that accepts `token` (app code or recovery code)."""
    token = "".join(token.split()).lower()
    if not token or len(token) > 16:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                return device
    return None


# -- The pending sign-in --------------------------------------------------------


def _begin(request: HttpRequest, user: AbstractBaseUser, next_url: str) -> None:
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "at": time.time(),
        "next": next_url,
    }


def _pending(request: HttpRequest) -> tuple[AbstractBaseUser | None, dict]:
    state = request.session.get(PENDING) or {}
    if not state or time.time() - state.get("at", 0) > PENDING_SECONDS:
        return None, {}
    user = (
        auth.get_user_model()
        ._default_manager.filter(pk=state["user"], is_active=True, is_staff=True)
        .first()
    )
    return user, state


def _finish(
    request: HttpRequest, user: AbstractBaseUser, state: dict, device: object
) -> None:
    """Sign `user` in, remembering the device that verified them."""
    if state:
        auth.login(request, user, backend=state["backend"])
        request.session.pop(PENDING, None)
    otp_login(request, device)
    unlock(user.get_username())


def _next(request: HttpRequest, state: dict) -> str:
    url = state.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


# -- The password step ----------------------------------------------------------


class StaffLoginView(LoginView):
    """Django's admin sign-in; a user who owes a code goes on to the code step."""

    def form_valid(self, form: forms.Form) -> HttpResponse:
        user = form.get_user()
        if must_use(user) or has_device(user):
            _begin(self.request, user, self.get_success_url())
            step = "second_factor" if has_device(user) else "second_factor_enrol"
            return HttpResponseRedirect(reverse(f"admin:{step}"))
        response = super().form_valid(form)
        unlock(user.get_username())
        return response


# -- The code step --------------------------------------------------------------


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy(
            "The 6-digit code your authenticator app shows, or a recovery code."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True}
        ),
    )


def _check_code(
    request: HttpRequest, user: AbstractBaseUser, form: TokenForm, check
) -> object | None:
    """Run `check(token)` unless the account is paused; count a wrong code."""
    if not form.is_valid():
        return None
    username = user.get_username()
    if wait := seconds_locked(request, username):
        form.add_error(None, locked_message(wait))
        return None
    device = check(form.cleaned_data["token"])
    if device is None:
        record_failure(request, username)
        form.add_error(
            "token",
            _(
                "That code is not right, or was used already. Enter the code your "
                "app shows now (it changes every 30 seconds) or an unused recovery "
                "code; after a wrong one, wait a few seconds."
            ),
        )
    return device


def _page(request: HttpRequest, site, template: str, context: dict) -> HttpResponse:
    context = {**site.each_context(request), "subtitle": None, **context}
    request.current_app = site.name
    return TemplateResponse(request, f"admin/second_factor/{template}", context)


@sensitive_post_parameters()
@csrf_protect
@never_cache
def token_view(request: HttpRequest, site) -> HttpResponse:
    user, state = _pending(request)
    if user is None:
        return HttpResponseRedirect(reverse("admin:login"))
    if not has_device(user):
        return HttpResponseRedirect(reverse("admin:second_factor_enrol"))
    form = TokenForm(request.POST or None)
    if request.method == "POST":
        device = _check_code(request, user, form, lambda token: verify(user, token))
        if device is not None:
            _finish(request, user, state, device)
            return HttpResponseRedirect(_next(request, state))
    return _page(
        request,
        site,
        "token.html",
        {"title": _("Second step: your code"), "form": form, "username": user},
    )


# -- Enrolment ------------------------------------------------------------------


def qr_svg(url: str) -> str:
    """A QR code of `url` as an inline SVG: paths and fill attributes, no style."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code" ', 1)


def _enrolling(request: HttpRequest) -> tuple[AbstractBaseUser | None, dict]:
    """Who is enrolling: the pending user, else a signed-in staff user."""
    user, state = _pending(request)
    if user is None and request.user.is_authenticated and request.user.is_staff:
        if satisfied(request):
            return request.user, {}
    return user, state


@sensitive_post_parameters()
@csrf_protect
@never_cache
def enrol_view(request: HttpRequest, site) -> HttpResponse:
    user, state = _enrolling(request)
    if user is None:
        return HttpResponseRedirect(reverse("admin:login"))
    if has_device(user):
        # One app per person: a new phone means a superuser resets the old one.
        if state:
            return HttpResponseRedirect(reverse("admin:second_factor"))
        return HttpResponseRedirect(reverse("admin:index"))
    key = request.session.get(PROPOSED_KEY) or random_hex(20)
    request.session[PROPOSED_KEY] = key
    device = TOTPDevice(user=user, key=key, name=APP_DEVICE_NAME, confirmed=True)
    form = TokenForm(request.POST or None)
    if request.method == "POST":

        def check(token: str) -> TOTPDevice | None:
            totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
            totp.time = time.time()
            if token.isdigit() and totp.verify(int(token), device.tolerance):
                device.last_t = totp.t()
                return device
            return None

        if _check_code(request, user, form, check) is not None:
            codes = _create_devices(user, device)
            request.session.pop(PROPOSED_KEY, None)
            _finish(request, user, state, device)
            return _page(
                request,
                site,
                "recovery_codes.html",
                {
                    "title": _("Your recovery codes"),
                    "codes": codes,
                    "next": _next(request, state),
                },
            )
    secret = base64.b32encode(device.bin_key).decode()
    return _page(
        request,
        site,
        "enrol.html",
        {
            "title": _("Set up your second factor"),
            "form": form,
            "username": user,
            "required": must_use(user),
            "qr_svg": mark_safe(qr_svg(device.config_url)),  # drawn here: no text
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
    )


@transaction.atomic
def _create_devices(user: AbstractBaseUser, app: TOTPDevice) -> list[str]:
    """Save the confirmed app and a fresh set of recovery codes; return the codes."""
    app.save()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=recovery, token=code) for code in codes]
    )
    return codes


@transaction.atomic
def reset(user: AbstractBaseUser) -> int:
    """Delete every second-factor device of `user`; they enrol again at sign-in."""
    deleted = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        deleted += 1
    unlock(user.get_username())
    return deleted
