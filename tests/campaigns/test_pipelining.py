"""The pipelined SMTP transaction against a real server (aiosmtpd): what arrives, and refusals raised as smtplib's."""

import smtplib

import pytest

from acvs.campaigns import pipelining

MESSAGE = b"Subject: Salut\r\n\r\nPremier paragraphe.\r\n.cach\xc3\xa9 par un point\r\n..deux points\r\nFin."


@pytest.fixture
def connection(smtp):
    with smtplib.SMTP("127.0.0.1", smtp.port, timeout=5) as server:
        yield server


def test_the_message_arrives_whole_with_its_leading_dots(smtp, connection, monkeypatch):
    # The envelope goes pipelined: smtplib's one-command-at-a-time path is not taken.
    monkeypatch.setattr(smtplib.SMTP, "mail", lambda *args: pytest.fail("MAIL sent alone"))
    assert pipelining.offered(connection)
    pipelining.sendmail(connection, "bounce+1@acvs.example", "ann@example.org", MESSAGE)
    pipelining.sendmail(connection, "bounce+2@acvs.example", "bob@example.org", MESSAGE + b"\r\n")

    first, second = smtp.envelopes
    assert (first.mail_from, first.rcpt_tos) == ("bounce+1@acvs.example", ["ann@example.org"])
    assert (second.mail_from, second.rcpt_tos) == ("bounce+2@acvs.example", ["bob@example.org"])
    assert first.original_content.replace(b"\r\n", b"\n") == MESSAGE.replace(b"\r\n", b"\n") + b"\n"
    assert second.original_content == first.original_content


def test_a_server_without_pipelining_is_not_offered_it(smtp):
    smtp.pipelining = False
    with smtplib.SMTP("127.0.0.1", smtp.port, timeout=5) as server:
        assert not pipelining.offered(server)


def test_refusals_raise_as_smtplib_and_the_connection_serves_the_next_message(smtp, connection):
    smtp.refuse_rcpt = "550 5.1.1 No such user"
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        pipelining.sendmail(connection, "bounce@acvs.example", "nobody@example.org", MESSAGE)
    assert refused.value.recipients["nobody@example.org"][0] == 550

    smtp.refuse_rcpt, smtp.refuse = None, "552 5.3.4 Message too big"
    with pytest.raises(smtplib.SMTPDataError) as data_refused:
        pipelining.sendmail(connection, "bounce@acvs.example", "ann@example.org", MESSAGE)
    assert data_refused.value.smtp_code == 552

    smtp.refuse = None
    pipelining.sendmail(connection, "bounce@acvs.example", "ann@example.org", MESSAGE)
    assert [envelope.rcpt_tos for envelope in smtp.envelopes] == [["ann@example.org"]]


def test_a_server_closing_on_a_refusal_closes_the_connection(smtp, connection):
    smtp.refuse_rcpt = "421 4.3.2 Service shutting down"
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        pipelining.sendmail(connection, "bounce@acvs.example", "ann@example.org", MESSAGE)
    assert refused.value.recipients["ann@example.org"][0] == 421
    assert connection.sock is None
