import uuid

from allauth.account.adapter import DefaultAccountAdapter

from reseau_acv.core.outbox import RenderedEmail, outbox_record


class AccountAdapter(DefaultAccountAdapter):
    """Signup is by invitation only, and allauth's e-mails leave through the outbox."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Record allauth's message (password reset, address confirmation…) in the outbox.

        Each request for such a message is a new message: its key carries a fresh identifier.
        """
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request), **context},
        )
        html = next((body for body, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
        outbox_record(
            purpose=f"compte:{template_prefix.rsplit('/', 1)[-1]}",
            obj=uuid.uuid4().hex,
            to=email,
            email=RenderedEmail(subject=message.subject, text=message.body, html=html),
        )
