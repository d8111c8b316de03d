"""ICTMONITOR_EMAIL_URL: where the daily e-mails go."""

from __future__ import annotations

import pytest

from ictmonitor.config import SettingError, mailers_from_url


def test_unset_the_emails_go_to_the_console():
    assert mailers_from_url("") == {"default": {
        "BACKEND": "django.core.mail.backends.console.EmailBackend", "OPTIONS": {}}}


def test_an_smtp_relay_with_starttls_by_default():
    mailer = mailers_from_url("smtp://ict%40school:p%3Ass@mail.example.org")["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {"host": "mail.example.org", "port": 587,
                                 "username": "ict@school", "password": "p:ss",
                                 "use_ssl": False, "use_tls": True, "timeout": 30}


def test_smtps_and_plain_smtp():
    assert mailers_from_url("smtps://u:p@relay.example.org")["default"]["OPTIONS"] | {} == {
        "host": "relay.example.org", "port": 465, "username": "u", "password": "p",
        "use_ssl": True, "use_tls": False, "timeout": 30}
    plain = mailers_from_url("smtp://localhost:25?tls=false")["default"]["OPTIONS"]
    assert (plain["port"], plain["use_tls"], plain["use_ssl"]) == (25, False, False)


@pytest.mark.parametrize("url", ["mailto://x", "smtp://"])
def test_an_address_that_cannot_be_used_stops_start_up_naming_the_variable(url):
    with pytest.raises(SettingError, match="ICTMONITOR_EMAIL_URL"):
        mailers_from_url(url)
