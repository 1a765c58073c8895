"""The .eml drafts of a mail package: MIME built so that Chinese attachment names survive.

Python's ``EmailMessage.add_attachment(filename="中文.pdf")`` writes RFC 2231 continuations and
no ``name=``; Outlook over POP/IMAP then shows "Untitled Attachment" and QQ Mail
``tcmime.NNNN.bin`` (FACTS.md). Each attachment here carries its name as one RFC 2047
encoded-word (UTF-8, base64) in both ``Content-Type: name=`` and ``Content-Disposition:
filename=``, which is what Outlook, Foxmail and the Chinese webmails write and read. An
encoded-word may have at most 75 characters (RFC 2047): in UTF-8 20 Chinese characters need
92, in GB18030 (two bytes a character) 70, so a name is one GB18030 word; the package keeps
names to 20 Chinese characters, so one word holds each and every client decodes it in one
piece (a longer name is split between characters over several words). Header lines are folded
(RFC 5322): the parameters on a line of their own, the Subject and From between words.

``X-Unsent: 1`` makes Outlook open the file as an editable draft. A draft has a Date and a
Message-ID, and From when the mailbox is known; sending gives it a new Date and Message-ID
(``send.prepare_for_sending``).
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from collections.abc import Sequence
from email import encoders, policy
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, make_msgid
from pathlib import Path

# CRLF line ends: what mail clients (Outlook first) expect of an .eml file and what SMTP sends.
# No refolding: the email package would otherwise fold a long Content-Type right after its colon;
# each header is written here as it should go out (the Subject folded between encoded-words, an
# attachment's parameters on one line of under 200 characters, far below SMTP's 998).
EML_POLICY = policy.compat32.clone(linesep="\r\n", max_line_length=0)
_TYPES = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt": "text/plain",
    ".jpg": "image/jpeg",
    ".zip": "application/zip",
}


MAX_WORD = 75  # characters of one encoded-word (RFC 2047)
NAME_CHARSET = "gb18030"  # two bytes a Chinese character: 20 of them in one word


def _word(text: str, charset: str) -> str:
    return f"=?{charset}?b?" + base64.b64encode(text.encode(charset)).decode("ascii") + "?="


def encoded_words(text: str, charset: str = NAME_CHARSET, limit: int = MAX_WORD) -> list[str]:
    """``text`` as RFC 2047 encoded-words (base64) of at most ``limit`` (≤ 75) characters each,
    split between characters; ASCII text stays as it is (one item)."""
    if text.isascii():
        return [text]
    words: list[str] = []
    chunk = ""
    for char in text:
        if chunk and len(_word(chunk + char, charset)) > min(limit, MAX_WORD):
            words.append(_word(chunk, charset))
            chunk = ""
        chunk += char
    words.append(_word(chunk, charset))
    return words


def encoded_word(text: str) -> str:
    """``text`` as RFC 2047 encoded-words, folded between words (one word for a package's names)."""
    return "\r\n ".join(encoded_words(text))


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def attachment_part(name: str, data: bytes) -> MIMEBase:
    """One attachment, base64, named ``name`` in both Content-Type and Content-Disposition."""
    mime = _TYPES.get(Path(name).suffix.lower()) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    maintype, subtype = mime.split("/", 1)
    part = MIMEBase(maintype, subtype)
    part.set_payload(data)
    encoders.encode_base64(part)
    word = _quoted(encoded_word(name))
    # Set whole, so the email package neither re-encodes (RFC 2231) nor splits the encoded-word;
    # the parameter on a line of its own (a header line should stay within 78 characters).
    del part["Content-Type"]
    part["Content-Type"] = f"{mime};\r\n name={word}"
    part["Content-Disposition"] = f"attachment;\r\n filename={word}"
    return part


LINE = 76  # a header line holding encoded-words (RFC 2047 §2)


def folded(header: str, text: str, charset: str = "utf-8") -> str:
    """The value of ``header`` for ``text`` (encoded-words), folded so that every line, the
    first with ``Header: `` too, stays within 76 characters."""
    if text.isascii():
        return text
    return "\r\n ".join(encoded_words(text, charset, LINE - len(header) - 2))


def address_header(name: str, address: str) -> str:
    """``北京某某工会 <gonghui@163.com>``: the name as encoded-words, then the address. GB18030
    keeps a union's name of up to 21 characters in one word: some readers (Python's own address
    parser among them) put a space where a name was split over two."""
    if not name:
        return address
    if name.isascii():
        return f"{_quoted(name)} <{address}>"
    return f"{folded('From', name, NAME_CHARSET)}\r\n <{address}>"


def build_message(
    *,
    to: str | None,
    subject: str,
    body: str,
    attachments: Sequence[tuple[str, Path]],
    sender: tuple[str, str] | None = None,
    date: dt.datetime | None = None,
) -> MIMEMultipart:
    """A draft message: From (``sender``: name and address, when the mailbox is known), To,
    Subject, Date, Message-ID, X-Unsent, the body as UTF-8 text, then the attachments (name in
    the message, file) in order."""
    message = MIMEMultipart("mixed")
    if sender is not None and sender[1]:
        message["From"] = address_header(*sender)
    if to:
        message["To"] = to
    message["Subject"] = folded("Subject", subject)
    message["Date"] = format_datetime(date or dt.datetime.now().astimezone())
    domain = sender[1].rpartition("@")[2] if sender is not None and "@" in sender[1] else "zhutui.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    message["X-Unsent"] = "1"
    message.attach(MIMEText(body, "plain", "utf-8"))
    for name, path in attachments:
        message.attach(attachment_part(name, path.read_bytes()))
    return message


def message_bytes(message: MIMEMultipart) -> bytes:
    return message.as_bytes(policy=EML_POLICY)


def attachment_name(part) -> str | None:
    """The decoded file name of a parsed part (either header), for checks and tests."""
    from email.header import decode_header, make_header

    raw = part.get_param("filename", header="Content-Disposition") or part.get_param("name")
    if raw is None:
        return None
    raw = str(raw[2]) if isinstance(raw, tuple) else str(raw)
    return str(make_header(decode_header(raw)))
