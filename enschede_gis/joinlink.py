"""The residents' way into a meeting: a short code, the join link phones can open, and its QR code.

The link is built from an address the phones in the room can reach: ``WIJKBEELD_PUBLIC_URL`` on a
server, else the laptop's own network address and the app's port. Never ``127.0.0.1`` or
``localhost``: on a phone those mean the phone itself. Everything here works offline.
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlencode, urlsplit

from enschede_gis.errors import InputError

#: The join page's url path (``views/deelnemen.py``).
JOIN_PATH = "doe-mee"
#: Query parameter that carries the meeting code.
CODE_PARAM = "code"
#: Letters and digits that cannot be mistaken for each other when read off a wall (no I, O, 0, 1).
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
#: Environment variable with the address residents use on a server (e.g. https://wijkbeeld.enschede.nl).
PUBLIC_URL_ENV = "WIJKBEELD_PUBLIC_URL"


def short_code(meeting_id: str) -> str:
    """A six-character code for a meeting, the same every time (derived from its id)."""
    digest = hashlib.sha256(str(meeting_id).encode("utf-8")).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def normalise_code(typed: str | None) -> str:
    """A typed code as stored: capitals, no spaces or dashes ("abc 23-k" -> "ABC23K")."""
    return "".join(ch for ch in str(typed or "").upper() if ch.isalnum())


def find(meetings: Iterable, typed: str | None):
    """The meeting (any object with an ``id``) whose code was typed, or None."""
    code = normalise_code(typed)
    if len(code) != CODE_LENGTH:
        return None
    return next((m for m in meetings if short_code(m.id) == code), None)


def is_loopback(host: str | None) -> bool:
    if not host:
        return True
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def listens_on_loopback_only(bound: str | None) -> bool:
    """True when the server was bound to a loopback address (``--server.address 127.0.0.1``): then
    no phone can reach it. Unset, ``0.0.0.0`` and ``::`` listen on every interface."""
    host = str(bound or "").strip().strip("[]")
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_for_link(bound: str | None, lan: str | None) -> str | None:
    """The host to put in the join link: the address the server was bound to when that is one
    particular network address, else this machine's network address (``lan``)."""
    host = str(bound or "").strip()
    if host and not is_loopback(host):
        return host
    return lan


def lan_address() -> str | None:
    """This machine's address on the local network (the interface of the default route), found
    without sending anything: a UDP socket "connected" to a private address only picks a route.
    Falls back to the addresses of the host name; None when there is only loopback."""
    candidates: list[str] = []
    for probe in ("10.255.255.255", "192.168.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.connect((probe, 9))
                candidates.append(sock.getsockname()[0])
        except OSError:
            continue
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET, socket.SOCK_DGRAM)
        candidates.extend(str(info[4][0]) for info in infos)
    except OSError:
        pass
    return next((host for host in candidates if not is_loopback(host)), None)


def public_base(*, public_url: str | None, host: str | None, port: int | None, scheme: str = "http") -> str | None:
    """The address phones open, without a trailing slash; None when there is none they can reach.

    ``public_url`` (``WIJKBEELD_PUBLIC_URL``) wins and must be an http(s) address; otherwise
    ``host`` (the laptop's network address) and ``port``; a loopback host gives None.
    """
    if public_url and public_url.strip():
        url = public_url.strip().rstrip("/")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(
                f"{PUBLIC_URL_ENV} is geen webadres (http:// of https://): '{public_url}'.",
                en=f"{PUBLIC_URL_ENV} is not a web address (http:// or https://): '{public_url}'.",
            )
        return url
    if is_loopback(host):
        return None
    shown = f"[{host}]" if ":" in str(host) else str(host)
    return f"{scheme}://{shown}" + (f":{int(port)}" if port and int(port) not in (80, 443) else "")


def join_url(base: str, meeting_id: str, *, lang: str | None = None) -> str:
    """The join page for this meeting under ``base`` (the meeting's code in the query string)."""
    params = {CODE_PARAM: short_code(meeting_id)}
    if lang and lang != "nl":
        params["lang"] = lang
    return f"{base.rstrip('/')}/{JOIN_PATH}?{urlencode(params)}"


def qr_svg(url: str, *, scale: int = 10) -> str:
    """The link as a QR code, inline SVG (black on white, with the standard quiet zone)."""
    import segno

    return segno.make(url, error="m", micro=False).svg_inline(scale=scale, dark="#000000", light="#ffffff")


def qr_data_uri(url: str, *, scale: int = 10) -> str:
    """The same QR code as a ``data:image/svg+xml`` URI, for an ``<img>`` (HTML sanitisers keep it)."""
    import segno

    return segno.make(url, error="m", micro=False).svg_data_uri(scale=scale, dark="#000000", light="#ffffff")
