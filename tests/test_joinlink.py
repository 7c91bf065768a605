"""The join link: short codes, an address phones can reach (never loopback), and the QR code."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from enschede_gis import joinlink
from enschede_gis.errors import InputError


def test_short_code_is_stable_readable_and_distinct():
    ids = [f"{i:032x}" for i in range(2000)]
    codes = [joinlink.short_code(i) for i in ids]
    assert joinlink.short_code(ids[0]) == codes[0]
    assert all(len(c) == joinlink.CODE_LENGTH and set(c) <= set(joinlink.ALPHABET) for c in codes)
    assert not set("".join(codes)) & set("IO01")
    assert len(set(codes)) == len(codes)


def test_a_typed_code_finds_its_meeting():
    meetings = [SimpleNamespace(id="aaa"), SimpleNamespace(id="bbb")]
    code = joinlink.short_code("bbb")
    typed = f" {code[:3].lower()}-{code[3:]} "
    assert joinlink.find(meetings, typed) is meetings[1]
    assert joinlink.find(meetings, "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY") is None
    assert joinlink.find(meetings, "") is None


def test_the_public_url_wins_and_must_be_a_web_address():
    assert joinlink.public_base(public_url="https://wijkbeeld.enschede.nl/", host="10.0.0.2", port=8501) == (
        "https://wijkbeeld.enschede.nl"
    )
    with pytest.raises(InputError, match="WIJKBEELD_PUBLIC_URL"):
        joinlink.public_base(public_url="wijkbeeld.enschede.nl", host=None, port=8501)


@pytest.mark.parametrize("host", [None, "", "127.0.0.1", "127.0.1.1", "localhost", "::1", "0.0.0.0"])
def test_never_a_loopback_address(host):
    assert joinlink.public_base(public_url=None, host=host, port=8501) is None


def test_the_laptops_address_and_port():
    assert joinlink.public_base(public_url=None, host="192.168.1.23", port=8501) == "http://192.168.1.23:8501"
    assert joinlink.public_base(public_url=None, host="fd00::5", port=8501) == "http://[fd00::5]:8501"
    assert joinlink.public_base(public_url=None, host="192.168.1.23", port=80) == "http://192.168.1.23"


def test_lan_address_is_never_loopback():
    found = joinlink.lan_address()
    assert found is None or not joinlink.is_loopback(found)


def test_join_url_carries_the_code_and_the_language():
    url = joinlink.join_url("http://192.168.1.23:8501/", "abc", lang="en")
    assert url == f"http://192.168.1.23:8501/doe-mee?code={joinlink.short_code('abc')}&lang=en"
    assert joinlink.join_url("http://h", "abc").endswith(f"/doe-mee?code={joinlink.short_code('abc')}")


def test_qr_code_is_the_links_symbol():
    """The SVG is segno's symbol for exactly this link (no decoder is installed; the browser test
    reads the link the page puts beside the code and opens it on a phone)."""
    import segno

    url = "http://192.168.1.23:8501/doe-mee?code=ABCDEF"
    svg = joinlink.qr_svg(url)
    assert svg.startswith("<svg") and "<path" in svg
    assert svg == segno.make(url, error="m", micro=False).svg_inline(scale=10, dark="#000000", light="#ffffff")
    assert svg != joinlink.qr_svg(url.replace("ABCDEF", "ABCDEG"))


@pytest.mark.parametrize(
    ("bound", "only_here", "host"),
    [
        (None, False, "192.168.1.23"),  # Streamlit's default: every interface
        ("0.0.0.0", False, "192.168.1.23"),  # what the README tells a facilitator to use
        ("::", False, "192.168.1.23"),
        ("127.0.0.1", True, "192.168.1.23"),
        ("localhost", True, "192.168.1.23"),
        ("10.0.0.7", False, "10.0.0.7"),  # bound to one network address: that one
    ],
)
def test_which_address_the_link_uses_for_each_bind_address(bound, only_here, host):
    assert joinlink.listens_on_loopback_only(bound) is only_here
    assert joinlink.host_for_link(bound, "192.168.1.23") == host
