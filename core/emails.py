"""E-mails come in threes: templates/emails/<name>.subject.txt, .txt and .html."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

from .urls import absolute_url


class DeliveryFailed(Exception):
    """The e-mail backend refused the message; the sending task retries."""


# Options of every Celery task that sends an e-mail: a growing, randomized back-off on SMTP errors.
EMAIL_TASK_RETRY = {
    "autoretry_for": (DeliveryFailed, OSError),
    "retry_backoff": settings.EMAIL_RETRY_BACKOFF,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": settings.EMAIL_MAX_RETRIES,
}


def render_plain(template_name: str, context: dict) -> str:
    """A template for plain text (a subject, a text body): "Pérez & Cía" stays "&", not "&amp;"."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def email_message(*, template: str, context: dict, to: list[str], language: str) -> EmailMultiAlternatives:
    """Render the three parts of an e-mail in the recipient's language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": absolute_url("/").rstrip("/"), **context}
        subject = " ".join(render_plain(f"emails/{template}.subject.txt", context).split())
        text = render_plain(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    return message
