import datetime
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from acvs.booklet.models import Branding
from acvs.mailing import services
from tests.booklet.conftest import client, closed_smtp, drawn_map, english, free_port, offers, smtp  # noqa: F401
from tests.conftest import membership
from tests.desk.conftest import make_request, written  # noqa: F401, F811 — fixtures

DOVECOT = "/usr/sbin/dovecot"
IMAP_PASSWORD = "imap-test-password"

TEMPLATE = {
    "language": "en",
    "name": "Stay information",
    "subject": "Your stay in {office_name}",
    "body": "{greeting}\n\nThank you for writing to us about your stay ({stay_dates}).\n\nOpen: {opening_hours}\n\n"
    "{signature}\n{office_contact}",
}


@pytest.fixture
def template(manager):
    return services.template_save(membership=membership(manager), data=TEMPLATE)


@pytest.fixture
def email_request(make_request):  # noqa: F811 — the fixture imported above
    """A written request in English, with the visitor's name and address, due in two working days."""
    return make_request(
        data=written(
            language="en",
            name="Ann Smith",
            email="ann@example.org",
            stay_start=datetime.date(2027, 7, 14),
            stay_end=datetime.date(2027, 7, 21),
        )
    )


@pytest.fixture
def hours(cavalaire):
    return Branding.objects.create(office=cavalaire, opening_hours_fr="Tous les jours, 9 h - 18 h",
                                   opening_hours_en="Daily, 9am to 6pm")  # fmt: skip


DOVECOT_CONF = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:{root}/mail/%u
first_valid_uid = 0
default_login_user = {login_user}
default_internal_user = {internal_user}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@pytest.fixture
def imap_server(settings):
    """A real IMAP server (Debian's dovecot-imapd, `make dovecot`) in a temporary directory on a free port.

    Run as root, dovecot refuses to run its processes as root: they use its own users (created by the package).
    """
    if not os.path.exists(DOVECOT):
        pytest.fail("dovecot is not installed: run `make dovecot` (Debian's dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="acvs-imap-"))
    root.chmod(0o755)
    (root / "mail").mkdir()
    if os.getuid() == 0:
        mail_user = pwd.getpwnam("dovecot")
        login_user, internal_user, uid, gid = "dovenull", "dovecot", mail_user.pw_uid, mail_user.pw_gid
        os.chown(root / "mail", uid, gid)
    else:
        me = pwd.getpwuid(os.getuid())
        login_user = internal_user = me.pw_name
        uid, gid = me.pw_uid, me.pw_gid
    port = free_port()
    (root / "dovecot.conf").write_text(
        DOVECOT_CONF.format(
            root=root,
            login_user=login_user,
            internal_user=internal_user,
            uid=uid,
            gid=gid,
            port=port,
            password=IMAP_PASSWORD,
        )  # fmt: skip
    )
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")])
    import imaplib

    deadline = time.monotonic() + 10
    while True:
        try:
            imaplib.IMAP4("127.0.0.1", port, timeout=2).logout()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                process.kill()
                pytest.fail(f"dovecot did not start: {log}")
            time.sleep(0.1)
    settings.ACVS_IMAP_HOST, settings.ACVS_IMAP_PORT, settings.ACVS_IMAP_SSL = "127.0.0.1", port, False
    settings.ACVS_IMAP_USER, settings.ACVS_IMAP_PASSWORD = "answers", IMAP_PASSWORD
    settings.ACVS_IMAP_FOLDER = "INBOX"
    settings.ACVS_ANSWERS_ADDRESS = "answers@acvs.example"
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
