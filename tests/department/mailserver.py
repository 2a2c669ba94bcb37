"""The real mail server of the mailbox tests (``.ci/mail``: Dovecot IMAP/LMTP, Postfix submission on loopback)."""

from __future__ import annotations

import imaplib
import os
import smtplib
import ssl
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = "readiness.test"
PASSWORD = "matkhau-thu-nghiem"
DEPARTMENT = f"so@{DOMAIN}"
XA1, XA2, OTHER, FULL = (f"{user}@{DOMAIN}" for user in ("xa1", "xa2", "other", "full"))
ENV = "READINESS_TEST_MAIL_DIR"


def start() -> Path:
    """The server's folder (its CA file is ``ca.pem``); skips, saying why, where it cannot run."""
    given = os.environ.get(ENV, "").strip()
    if given and (Path(given) / "ca.pem").exists():
        return Path(given)
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail(f"{ENV} is not set in CI (.ci/run starts the mail server with .ci/mail)")
        pytest.skip("the mail server tests need root to start Dovecot and Postfix (.ci/mail), or "
                    f"{ENV} set to a running one")
    done = subprocess.run(["bash", str(ROOT / ".ci" / "mail")], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail(f".ci/mail failed: {done.stderr[-2000:]}")
    return Path(done.stdout.strip())


def context(base: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(base / "ca.pem"))


def imap(base: Path, user: str) -> imaplib.IMAP4_SSL:
    connection = imaplib.IMAP4_SSL("127.0.0.1", 10993, ssl_context=context(base))
    connection.login(user, PASSWORD)
    return connection


def empty(base: Path, *users: str) -> None:
    """Every folder of these accounts emptied (the processed and sent folders removed)."""
    for user in users:
        connection = imap(base, user)
        try:
            _typ, folders = connection.list()
            for line in folders or []:
                name = line.decode().rsplit(' "/" ', 1)[-1].strip()
                _typ, count = connection.select(name)
                if int(count[0] or 0):
                    connection.store("1:*", "+FLAGS", "(\\Deleted)")
                    connection.expunge()
                connection.close()
                if name.strip('"') != "INBOX":
                    connection.delete(name)
        finally:
            connection.logout()


def deliver(base: Path, message: EmailMessage, to: str = DEPARTMENT) -> None:
    """Into ``to``'s INBOX through Dovecot's LMTP, as the mail system delivers."""
    with smtplib.LMTP("127.0.0.1", 10024) as lmtp:
        lmtp.send_message(message, to_addrs=[to])


def messages(base: Path, user: str, folder: str = "INBOX") -> list[tuple[bytes, set[str]]]:
    """(raw message, flags) of every message in a folder."""
    import email

    connection = imap(base, user)
    out = []
    try:
        typ, _ = connection.select(f"\"{folder}\"", readonly=True)
        if typ != "OK":
            return []
        _typ, data = connection.uid("SEARCH", "ALL")
        for uid in (data[0] or b"").split():
            _typ, fetched = connection.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
            flags = set(imaplib.ParseFlags(fetched[0][0]) or ())
            out.append((fetched[0][1], {f.decode() for f in flags}))
    finally:
        connection.logout()
    del email
    return out
