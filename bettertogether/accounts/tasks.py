"""Background work of the accounts app: sending sign-in emails."""

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task()
def send_email(*, to: str, subject: str, text: str, html: str = "") -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
