"""Under `make run` an email is printed so that its link can be clicked or copied whole."""

import io

from django.core.mail import EmailMultiAlternatives

from bettertogether.core.mail import ConsoleEmailBackend

LINK = ("http://127.0.0.1:8000/accounts/password/reset/MTA/"
        "dj8dyp-4daedefd9daa5176f648b97fbddcbeba/")


def test_console_email_backend_prints_the_text_with_each_link_whole():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        subject="Reset your Better Together password", from_email="bt@example.org",
        to=["teacher@riverside.example"],
        body=f"Hello Maya,\n\nChoose a new password here — it works once:\n{LINK}\n")
    message.attach_alternative(f'<a href="{LINK}">Choose a new password</a>', "text/html")

    sent = ConsoleEmailBackend(stream=stream).send_messages([message])

    assert sent == 1
    assert stream.getvalue() == "\n".join([
        "-" * 79,
        "From: bt@example.org",
        "To: teacher@riverside.example",
        "Subject: Reset your Better Together password",
        "(Also sent as text/html.)",
        "",
        "Hello Maya,",
        "",
        "Choose a new password here — it works once:",
        LINK,
        "-" * 79,
        "",
    ])
