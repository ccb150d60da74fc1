"""allauth, adapted to the product: its e-mails go through the outbox and a Celery worker."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from core.services import outgoing_email_queue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the e-mail here, where allauth's request and context are, and hand it to the outbox:
        a Celery task sends it with retries, so a mail server outage never breaks the page (the
        password reset gave a 500). The rendered message waits sealed, since it may hold a reset link.
        """
        request = allauth_context.request
        data = {"request": request, "email": email, "current_site": get_current_site(request)}
        data.update(context)
        outgoing_email_queue(message=self.render_mail(template_prefix, email, data), kind=template_prefix)
