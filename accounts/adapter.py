"""allauth's account adapter: its e-mails link to SITE_URL, like every other e-mail of the product."""

from allauth.account.adapter import DefaultAccountAdapter

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
