"""The .eml drafts of a mail package: MIME built so that Chinese attachment names survive.

Python's ``EmailMessage.add_attachment(filename="中文.pdf")`` writes RFC 2231 continuations and
no ``name=``; Outlook over POP/IMAP then shows "Untitled Attachment" and QQ Mail
``tcmime.NNNN.bin`` (FACTS.md). Each attachment here carries its name as one RFC 2047
encoded-word (UTF-8, base64) in both ``Content-Type: name=`` and ``Content-Disposition:
filename=``, which is what Outlook, Foxmail and the Chinese webmails write and read. The package
keeps names short (≤ 20 Chinese characters), so one encoded-word holds each.

``X-Unsent: 1`` makes Outlook open the file as an editable draft; there is no From, Date or
Message-ID until it is sent (``send.prepare_for_sending`` adds them).
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Sequence
from email import encoders, policy
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
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


def encoded_word(text: str) -> str:
    """``text`` as a single RFC 2047 encoded-word (UTF-8, base64); ASCII text stays as it is."""
    if text.isascii():
        return text
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


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
    # Set whole, so the email package neither re-encodes (RFC 2231) nor splits the encoded-word.
    del part["Content-Type"]
    part["Content-Type"] = f"{mime}; name={word}"
    part["Content-Disposition"] = f"attachment; filename={word}"
    return part


def build_message(*, to: str | None, subject: str, body: str, attachments: Sequence[tuple[str, Path]]) -> MIMEMultipart:
    """A draft message: To, Subject, X-Unsent, the body as UTF-8 text, then the attachments
    (name in the message, file) in order."""
    message = MIMEMultipart("mixed")
    if to:
        message["To"] = to
    message["Subject"] = Header(subject, "utf-8").encode(linesep="\r\n")
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
