"""allauth, adapted to the product: its e-mails link to SITE_URL and go through the outbox and a Celery
worker, like every other e-mail of the product, and the client address of the rate limits is the real one
behind a reverse proxy."""

import ipaddress

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site

from core.services import outgoing_email_queue
from core.urls import absolute_url, rebase_url

# Links allauth puts in its e-mails' context, built from the request's host: moved onto SITE_URL.
EMAIL_LINKS = ("activate_url", "password_reset_url", "signup_url")


class AccountAdapter(DefaultAccountAdapter):
    # Links in e-mails ------------------------------------------------------------------------------

    def get_email_confirmation_url(self, request, emailconfirmation):
        return rebase_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key):
        return rebase_url(super().get_reset_password_from_key_url(key))

    def render_mail(self, template_prefix, email, context, headers=None):
        """Every allauth e-mail: links on SITE_URL, and `site_url` for the templates' own links."""
        context = {**context, "site_url": absolute_url("/").rstrip("/")}
        for name in EMAIL_LINKS:
            if context.get(name):
                context[name] = rebase_url(context[name])
        return super().render_mail(template_prefix, email, context, headers=headers)

    # Sending ---------------------------------------------------------------------------------------

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the e-mail here, where allauth's request and context are, and hand it to the outbox:
        a Celery task sends it with retries, so a mail server outage never breaks the page (the
        password reset gave a 500). The rendered message waits sealed, since it may hold a reset link.
        """
        request = allauth_context.request
        data = {"request": request, "email": email, "current_site": get_current_site(request)}
        data.update(context)
        outgoing_email_queue(message=self.render_mail(template_prefix, email, data), kind=template_prefix)

    # Rate limits -----------------------------------------------------------------------------------

    def get_client_ip(self, request) -> str:
        """The client's address for the rate limits: behind TRUSTED_PROXY_COUNT proxies of ours, the one
        they wrote in X-Forwarded-For (counted from the end, so a client cannot write its own);
        REMOTE_ADDR otherwise, or when the header is short or unreadable (never a server error)."""
        count = settings.TRUSTED_PROXY_COUNT
        forwarded = [
            part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()
        ]
        if count and len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count]))
            except ValueError:
                pass
        return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - an address, not a bind
