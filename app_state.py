"""The thin Streamlit adapter: caching, language, URL state and error display for the pages.

The domain package ``enschede_gis`` never imports Streamlit; everything Streamlit-specific that more
than one page needs lives here, once.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from enschede_gis import area_index, auth, db, i18n, numbers, roles, settings, store
from enschede_gis.errors import DataError, WijkbeeldError
from enschede_gis.indicators import Catalogue, Indicator, load_catalogue
from enschede_gis.text import clean_line

if TYPE_CHECKING:
    import pandas as pd

    from enschede_gis import inputs, snapshot

# The snapshot's shapes and tables (geopandas, pandas, shapely) are imported where a page first needs
# them, not here: the residents' join page, which thirty phones open at once, uses none of them
# (tests/test_light_path.py keeps it so).


@st.cache_resource(show_spinner=False)
def _snapshot(data_dir: str) -> snapshot.Snapshot:
    from enschede_gis import snapshot

    return snapshot.load(data_dir)


@st.cache_resource(show_spinner=False)
def _region_index(data_dir: str) -> area_index.AreaIndex:
    return area_index.load(data_dir)


def region_index() -> area_index.AreaIndex:
    """The snapshot's buurten and wijken by code and name, and the name of every region, read without
    shapes or figures (shared by all sessions): enough to list areas and name them."""
    return _region_index(str(settings.DATA_DIR))


@st.cache_resource(show_spinner=False, max_entries=8)
def _with_uploads(data_dir: str, database: str, version: str) -> tuple[snapshot.Snapshot, tuple[Indicator, ...]]:
    """The snapshot with the uploaded figures added, and their catalogue entries (per upload version)."""
    from enschede_gis import uploads

    datasets = uploads.load_datasets(db.engine(database))
    return uploads.with_local(_snapshot(data_dir), datasets), tuple(uploads.local_indicators(datasets))


def _local() -> tuple[snapshot.Snapshot, tuple[Indicator, ...]]:
    from enschede_gis import uploads

    try:
        eng = db.engine()
        database = eng.url.render_as_string(hide_password=False)
        return _with_uploads(str(settings.DATA_DIR), database, uploads.version(eng))
    except DataError as exc:  # a damaged upload must not take the CBS figures down with it
        st.warning(error_text(exc))
        return _snapshot(str(settings.DATA_DIR)), ()


def data() -> snapshot.Snapshot:
    """The loaded snapshot (read-only, shared by all sessions), with the uploaded own data included.

    Uploaded figures are long rows with the source "Lokaal: <bron>"; see :mod:`enschede_gis.uploads`.
    """
    return _local()[0]


def data_version() -> str:
    """Changes whenever the uploaded own data change (on any server): add it to cache keys of derived tables."""
    from enschede_gis import uploads

    return uploads.version(db.engine())


def catalogue() -> Catalogue:
    """The indicator catalogue, with the area team's own uploaded indicators when there are any."""
    base = load_catalogue()
    local = _local()[1]
    if local:
        base = base.with_local(list(local))
    extend = st.session_state.get("_catalogue_extension")
    return extend(base) if callable(extend) else base


# --- Roles, staff sign-in and the device key ------------------------------------------------------

SIGNED_ROLE_KEY = "_signed_in_role"
SIGNED_NAME_KEY = "_signed_in_name"
DEVICE_KEY = "_device_key"
SIGNIN_CHECKED_KEY = "_signin_cookie_checked"  # this session has looked at the sign-in cookie once
SIGNIN_COOKIE_KEY = "_signin_cookie_write"  # a token to store in the browser, or "" to remove it


def secrets() -> dict:
    """Streamlit secrets when a secrets.toml exists (no error box when there is none)."""
    return _secrets()


@st.cache_resource(show_spinner=False, ttl=30)
def _secrets() -> dict:
    # Read once per 30 s, not several times per script run (every phone's run asks for the role).
    return st.secrets.to_dict() if st.secrets.load_if_toml_exists() else {}


def client_address() -> str:
    """The address of this session's browser. Streamlit reports ``None`` for a browser on the
    laptop itself (loopback), so that is read as loopback; anything that is not an address (no
    real client, as in a test harness) is unknown, and unknown is never trusted."""
    address = st.context.ip_address
    if address is None:
        return "127.0.0.1"
    return address if isinstance(address, str) else ""


def _oidc_role() -> roles.Role | None:
    if auth.method(secrets()) != "oidc" or not st.user.is_logged_in:
        return None
    return auth.role_for_user(st.user.get("email"), auth.facilitators(secrets()))


def role() -> roles.Role:
    """This browser session's role: the signed-in staff role, else by where the request comes from
    (the laptop itself is the area team when ``WIJKBEELD_TRUST_LOCAL`` is on; anyone else a resident)."""
    signed = st.session_state.get(SIGNED_ROLE_KEY) or _remembered_sign_in()
    return roles.role_for_request(
        remote_address=client_address(),
        trust_local=settings.TRUST_LOCAL,
        signed_in_role=roles.Role(signed) if signed else _oidc_role(),
    )


def actor() -> roles.Actor:
    """Who acts in this session, for the package's role checks and its audit columns."""
    name = st.session_state.get(SIGNED_NAME_KEY, "")
    if not name and _oidc_role() is not None:
        name = str(st.user.get("name") or st.user.get("email") or "")
    return roles.Actor(role(), name)


def is_staff() -> bool:
    return role() is not roles.Role.RESIDENT


def signed_in() -> bool:
    return bool(st.session_state.get(SIGNED_ROLE_KEY)) or _oidc_role() is not None


@st.cache_resource(show_spinner=False)
def _local_secret(state_dir: str) -> bytes:
    return auth.local_secret(Path(state_dir))


def _signing_key() -> bytes | None:
    return auth.signing_key(secrets(), lambda: _local_secret(str(settings.STATE_DIR)))


def cookie(name: str) -> str | None:
    """A cookie the browser sent when this session connected."""
    return st.context.cookies.get(name)


def _remembered_sign_in() -> str | None:
    """A password sign-in this browser kept from an earlier session (a reload), adopted once per
    session when its token checks out (see :func:`enschede_gis.auth.read_token`); the role or None."""
    if st.session_state.get(SIGNIN_CHECKED_KEY):
        return None
    st.session_state[SIGNIN_CHECKED_KEY] = True
    token = cookie(auth.SIGNIN_COOKIE)
    if not token or auth.method(secrets()) != "password":
        return None
    found = auth.read_token(token, _signing_key(), now=time.time())
    if found is None:
        st.session_state[SIGNIN_COOKIE_KEY] = ""  # expired or no longer valid: the browser forgets it
        return None
    st.session_state[SIGNED_ROLE_KEY], st.session_state[SIGNED_NAME_KEY] = found[0].value, found[1]
    return found[0].value


def keep_sign_in_cookie() -> None:
    """Store or remove the sign-in token in the browser when a sign-in or sign-out asked for it (the
    frame calls this on every run; a tiny same-origin script sets the cookie, as for the device key)."""
    token = st.session_state.pop(SIGNIN_COOKIE_KEY, None)
    if token is None:
        return
    # The token holds only [A-Za-z0-9_-.] (auth.issue_token), so it is safe in the script.
    age = int(auth.SIGNIN_TTL_S) if token else 0
    st.html(
        f"<script>document.cookie='{auth.SIGNIN_COOKIE}={token};path=/;max-age={age};SameSite=Strict'"
        "+(location.protocol==='https:'?';Secure':'');</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


@st.cache_resource(show_spinner=False)
def _throttle() -> auth.Throttle:
    """One per server process: wrong passwords from an address are remembered across sessions."""
    return auth.Throttle()


def sign_in_form(*, key: str = "signin") -> None:
    """Staff sign-in: the gemeente's login (OIDC) where configured, else a password; says so when
    neither is set up. Wrong passwords are slowed down per client address (server-side)."""
    how = auth.method(secrets())
    if how == "oidc":
        if st.button(t("auth.oidc_button"), key=f"{key}_oidc", width="stretch"):
            st.login()
        return
    if how == "none":
        st.caption(t("auth.none_configured", team=auth.TEAM_PASSWORD_ENV, facilitator=auth.FACILITATOR_PASSWORD_ENV))
        return
    with st.form(f"{key}_form", clear_on_submit=True, border=False):
        name = st.text_input(t("auth.name"), max_chars=80, key=f"{key}_name")
        given = st.text_input(t("auth.password"), type="password", max_chars=200, key=f"{key}_password")
        sent = st.form_submit_button(t("auth.sign_in"), width="stretch")
    if not sent:
        return
    result = auth.attempt(_throttle(), client_address(), given, secrets())
    if result.role is None:
        st.error(t("auth.wait", seconds=int(result.wait_s + 0.999)) if result.wait_s else t("auth.wrong"))
        return
    st.session_state[SIGNED_ROLE_KEY] = result.role.value
    st.session_state[SIGNED_NAME_KEY] = name.strip()
    key = _signing_key()
    if key is not None:  # kept by the browser, so a reload stays signed in
        st.session_state[SIGNIN_COOKIE_KEY] = auth.issue_token(result.role, name.strip(), key, now=time.time())
    st.rerun()


def sign_out() -> None:
    """Forget the signed-in role (and end the OIDC session where that was used)."""
    oidc = _oidc_role() is not None and not st.session_state.get(SIGNED_ROLE_KEY)
    for name in (SIGNED_ROLE_KEY, SIGNED_NAME_KEY):
        st.session_state.pop(name, None)
    if not oidc:
        st.session_state[SIGNIN_COOKIE_KEY] = ""  # the browser forgets the sign-in too
    if oidc:
        st.logout()
    st.rerun()


def account_panel() -> None:
    """The sidebar's "who am I" block for staff: role, sign-out, or sign-in for a higher role."""
    current = role()
    who = actor().name
    named = f" ({escape(who)})" if who != roles.role_name(current) else ""
    st.sidebar.caption(t("auth.you_are", role=roles.role_name(current, lang()), name=named))
    if signed_in():
        if st.sidebar.button(t("auth.sign_out"), key="signout", width="stretch"):
            sign_out()
    elif current is not roles.Role.FACILITATOR:
        # the form is drawn only while the expander is open: not on every page's first screen
        box = st.sidebar.expander(t("auth.sign_in_as_staff"), key="_sidebar_signin_open", on_change="rerun")
        if box.open:
            with box:
                sign_in_form(key="sidebar_signin")


def device_key() -> str:
    """This phone's key for the input limits: kept in a cookie so a reload keeps it (see
    :func:`enschede_gis.inputs.device_key`). The cookie is set by a tiny same-origin script."""
    from enschede_gis import inputs

    if DEVICE_KEY not in st.session_state:
        cookie = st.context.cookies.get(inputs.DEVICE_COOKIE)
        key = inputs.device_key(
            cookie=cookie,
            address=st.context.ip_address,
            user_agent=st.context.headers.get("User-Agent"),
            address_identifies=settings.TRUST_LOCAL,
        )
        st.session_state[DEVICE_KEY] = key
        st.session_state["_device_cookie_set"] = cookie == key
    if not st.session_state.get("_device_cookie_set"):
        # The key holds only [a-z0-9-] (checked by inputs.device_key), so it is safe in the script.
        st.html(
            f"<script>document.cookie='{inputs.DEVICE_COOKIE}={st.session_state[DEVICE_KEY]};"
            "path=/;max-age=31536000;SameSite=Lax';</script>",
            unsafe_allow_javascript=True,
            width="content",
        )
        st.session_state["_device_cookie_set"] = True
    return st.session_state[DEVICE_KEY]


def lang() -> str:
    """The UI language: from the URL (``?lang=en``) so a shared link keeps it; Dutch by default."""
    value = st.query_params.get("lang", i18n.DEFAULT_LANGUAGE)
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    return i18n.t(key, lang(), **values)


def choose() -> str:
    """The placeholder of a multiselect in the UI language (Streamlit's own is "Choose options")."""
    return i18n.t("common.choose", lang())


def gemeente() -> str:
    """The gemeente from the URL; one the snapshot does not hold is said once and replaced by the
    default (the URL is corrected, so the rest of the run and the next ones agree)."""
    asked = st.query_params.get("gemeente")
    if not asked or asked == settings.DEFAULT_GEMEENTE:
        return settings.DEFAULT_GEMEENTE
    try:
        known = set(region_index().manifest.get("gemeenten", [])) or {settings.DEFAULT_GEMEENTE}
        names = region_index().names
    except WijkbeeldError:  # no snapshot: the frame says so; nothing to check against
        return settings.DEFAULT_GEMEENTE
    if asked in known:
        return asked
    st.query_params.pop("gemeente", None)
    url_not_followed(asked, names.get(settings.DEFAULT_GEMEENTE, settings.DEFAULT_GEMEENTE))
    return settings.DEFAULT_GEMEENTE


def param(name: str, default: str | None = None) -> str | None:
    return st.query_params.get(name, default)


def set_params(**values: object) -> None:
    """Write view state into the URL so a link reopens the same view; None removes a key."""
    for name, value in values.items():
        if value is None:
            st.query_params.pop(name, None)
        elif st.query_params.get(name) != str(value):
            st.query_params[name] = str(value)


def url_not_followed(asked: object, shown: object | None = None) -> None:
    """Say that a link asked for something this page cannot show, and what it shows instead (the
    asked value cleaned, cut to 80 characters and escaped: a link is typed by anyone)."""
    asked = clean_line(asked)
    asked = asked if len(asked) <= 80 else asked[:79] + "…"
    if shown is None:
        st.info(t("app.url_not_followed_plain", asked=escape(asked)))
    else:
        st.info(t("app.url_not_followed", asked=escape(asked), shown=escape(shown)))


def url_index(name: str, options: list, *, default: int = 0, label=str) -> int:
    """Index (for a widget's ``index=``) of the option the URL parameter ``name`` asks for.

    An option the page does not have (``?jaar=2023`` for a figure without 2023, ``?gebied=BU99999999``)
    is said with :func:`url_not_followed`, naming what was asked and what is shown instead.
    """
    asked = st.query_params.get(name)
    if asked in (None, "") or not options:
        return default
    for index, option in enumerate(options):
        if str(option) == asked:
            return index
    url_not_followed(asked, label(options[default]))
    return default


def tabs(label_keys: list[str], *, key: str) -> list:
    """Tabs that say which one is open (``tab.open``), so a page computes only the open tab's
    content; choosing another tab reruns the script (or only the fragment the tabs are in).

    ``label_keys`` are locale keys. The open tab is kept by its label, so after a language switch the
    stored label is translated: the same tab stays open. Nothing goes into the URL.
    """
    labels = [t(k) for k in label_keys]
    stored = st.session_state.get(key)
    if stored is not None and stored not in labels:
        for language in i18n.LANGUAGES:
            theirs = [i18n.t(k, language) for k in label_keys]
            if stored in theirs:
                st.session_state[key] = labels[theirs.index(stored)]
                break
    return st.tabs(labels, key=key, on_change="rerun")


def remembered(key: str, default: object = None) -> object:
    """What widget ``key`` held when it was last drawn in this session, else ``default``.

    Streamlit forgets a widget's value in a run that does not draw it (a widget in a closed tab of
    :func:`tabs`); give this as the widget's default and :func:`remember` the value after drawing it.
    """
    return st.session_state.get(f"_remembered:{key}", default)


def remember(key: str, value: object) -> object:
    """Keep ``value`` of widget ``key`` for :func:`remembered`; returns it."""
    st.session_state[f"_remembered:{key}"] = value
    return value


def number_field(
    label: str,
    value: float,
    *,
    key: str,
    minimum: float | None = None,
    maximum: float | None = None,
    whole: bool = False,
    where=st,
) -> float | None:
    """A number the user types the way they write it: "2,5" in Dutch, "2.5" too (:func:`numbers.read_typed`).

    Streamlit's ``number_input`` shows "2.00" in the Dutch UI and, in chromium, turns a typed "2,5" into
    25 and "1.500" into 1.5 without a word. This field shows ``value`` in the UI's language and
    returns the number read, or ``None`` after saying below the field why the text was refused (a text
    that reads two ways, such as "1.500", is refused with both readings)."""
    if key not in st.session_state:
        st.session_state[key] = numbers.as_typed(value, lang())
    text = where.text_input(label, key=key, help=_number_help(minimum, maximum, whole))
    try:
        return numbers.read_typed(text, label=label, minimum=minimum, maximum=maximum, whole=whole)
    except WijkbeeldError as exc:
        where.error(error_text(exc))
        return None


def _number_help(minimum: float | None, maximum: float | None, whole: bool) -> str:
    if minimum is None or maximum is None:
        return t("common.number_help_any")
    low, high = numbers.as_typed(minimum, lang()), numbers.as_typed(maximum, lang())
    return t("common.number_help_whole" if whole else "common.number_help", low=low, high=high)


def choice_index(options: list, value: object, default: int = 0) -> int:
    """Index of ``value`` in ``options`` (for a widget's ``index=``), or ``default``."""
    try:
        return options.index(value)
    except ValueError:
        return default


@contextmanager
def user_errors() -> Iterator[None]:
    """Show the package's own errors as one clear message instead of a traceback."""
    try:
        yield
    except WijkbeeldError as exc:
        st.error(error_text(exc))
        st.stop()


def error_text(exc: WijkbeeldError) -> str:
    """A package error in this run's language, escaped for markdown (it may quote what a user typed)."""
    return escape(exc.message(lang()))


def language_selector() -> str:
    labels = {"nl": "Nederlands", "en": "English"}
    current = lang()
    chosen = st.sidebar.radio(
        i18n.t("app.language", current),
        list(labels),
        index=choice_index(list(labels), current),
        format_func=labels.get,
        horizontal=True,
        key="_lang",
    )
    set_params(lang=None if chosen == i18n.DEFAULT_LANGUAGE else chosen)
    return chosen


#: Streamlit's own English texts that a style sheet can put right (1.67 has no setting for them). Under a
#: file uploader it writes "5MB per file • JSON", the server-wide limit, while the label states the real
#: one ("hoogstens 1 MB"): that line goes in every language.
WIDGET_TEXT_CSS = """
[data-testid="stFileUploaderDropzoneInstructions"] {display: none;}
"""
#: In Dutch, also: under a text field being typed in, "Press Enter to apply" / "... to submit form" gives way
#: to a Dutch hint (a character count such as "12/500" is kept). The uploader's button keeps "Upload": a
#: text put there by the style sheet would not be the button's name for every screen reader (axe: button-name).
DUTCH_WIDGET_TEXT_CSS = """
[data-testid="InputInstructions"] > span:first-child {display: none;}
[data-testid="stTextArea"] [data-testid="InputInstructions"] > span:nth-child(2)::before {content: none;}
[data-testid="stTextInput"] [data-testid="InputInstructions"]::before {content: "Enter: toepassen";}
[data-testid="stForm"] [data-testid="stTextInput"] [data-testid="InputInstructions"]::before {
  content: "Enter: versturen";
}
"""


#: A :func:`scroll_table`: its own box scrolls sideways when the table is wider than the page, each cell on
#: one line, and the box shows when it has keyboard focus.
TABLE_CSS = """
.wb-table {max-width: 100%; overflow-x: auto;}
.wb-table :is(th, td) {white-space: nowrap;}
.wb-table:focus-visible {outline: 3px solid currentColor; outline-offset: 2px;}
"""


def page_styles() -> None:
    """The app's own style sheet, once per run (the frame calls it): :data:`TABLE_CSS`, and Streamlit's
    own widget texts put right for this run's language (:data:`WIDGET_TEXT_CSS`)."""
    dutch = DUTCH_WIDGET_TEXT_CSS if lang() == "nl" else ""
    st.html(f"<style>{TABLE_CSS}{WIDGET_TEXT_CSS}{dutch}</style>")


def attribution() -> None:
    """The CBS credit and what the snapshot holds, at the foot of the sidebar (from the snapshot's
    manifest, which uploads do not change: no database look-up on every run)."""
    manifest = region_index().manifest
    st.sidebar.caption(t("app.attribution"))
    st.sidebar.caption(
        t(
            "app.snapshot_note",
            created=manifest.get("created", "?"),
            boundary_year=manifest.get("boundary_year", "?"),
        )
    )


def selectable_areas() -> list:
    """Every area a page can offer: the gemeente, wijken, buurten and the stored custom areas.

    Returns :class:`enschede_gis.area_index.Area` objects (``key``, ``label``, ``kind``, ``codes``),
    listed from :func:`region_index` (no shapes are loaded for it).
    """
    from enschede_gis import areas

    try:
        custom = areas.load_areas()
    except DataError as exc:
        st.warning(error_text(exc))
        custom = []
    return area_index.selectable_areas(region_index(), custom, gemeente=gemeente())


# --- The residents' join page: what every phone needs, made once per server process ---------------


@st.cache_resource(show_spinner=False, ttl=30)
def _join_areas(data_dir: str, gemeente_code: str) -> dict:
    # custom areas may change: kept 30 s, not read again for every phone
    return {a.key: a for a in selectable_areas() if a.key}


def join_areas() -> dict:
    """Every area a meeting can be about, by key (the gemeente's, wijken, buurten, custom areas)."""
    return _join_areas(str(settings.DATA_DIR), gemeente())


@st.cache_resource(show_spinner=False)
def _pin_outlines(data_dir: str, gemeente_code: str):
    from enschede_gis import inputs

    return inputs.pin_outlines(_snapshot(data_dir), gemeente_code)


@st.cache_resource(show_spinner=False)
def _join_places(data_dir: str, gemeente_code: str, custom_keys: tuple[str, ...]) -> inputs.Places:
    from enschede_gis import inputs

    def outlines():
        return _pin_outlines(data_dir, gemeente_code)

    index = _region_index(data_dir)
    return inputs.places_in(index, custom_keys=custom_keys, gemeente=gemeente_code, load_outlines=outlines)


def join_places(custom_keys: tuple[str, ...] = ()) -> inputs.Places:
    """Where a resident's input may be placed (:class:`enschede_gis.inputs.Places`); the buurten's
    shapes are loaded only when a pin is first checked."""
    return _join_places(str(settings.DATA_DIR), gemeente(), tuple(custom_keys))


@st.cache_resource(show_spinner=False, ttl=300)
def _public_figures(_meeting, _area, area_key: str, year: int | None, lang: str, gemeente: str, version: str) -> list:
    """Per area, year, language and uploads version (the arguments with _ are not hashed)."""
    from enschede_gis import session_report

    return session_report.public_figures(data(), catalogue(), _meeting, _area, lang=lang, gemeente=gemeente)


def public_figures(meeting, area) -> list:
    """The meeting's public figures for its area (meeting mode's "De situatie"), shared by all phones."""
    return _public_figures(meeting, area, area.key, meeting.year, lang(), gemeente(), data_version())


def edit_version(kind: str, key: str) -> int | None:
    """The version of the stored ``kind`` ``key`` this session loaded for editing (None: not stored).

    Remembered from the first time a page asks until :func:`forget_edit_versions`, so a save names the
    version the user saw, and a change someone else saved meanwhile is refused, not overwritten.
    """
    slot = f"_edit_version:{kind}:{key}"
    if slot not in st.session_state:
        found = store.stamp(db.engine(), kind, key)
        st.session_state[slot] = None if found is None else found.version
    return st.session_state[slot]


def forget_edit_versions(kind: str | None = None) -> None:
    """Forget the remembered versions (of one kind): after a save, or when another item is picked."""
    prefix = "_edit_version:" + (f"{kind}:" if kind else "")
    for slot in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[slot]


def area_label(area, language: str | None = None) -> str:
    """``Wijk: Wijk 09 Landelijk gebied en kernen`` — the kind of area, then its name."""
    return f"{i18n.t('level.' + area.kind, language or lang())}: {area.label}"


def area_labeller(by_key: dict):
    """A ``format_func`` for area keys: :func:`area_label` in this run's language, also when called later."""
    language = lang()
    return lambda key: area_label(by_key[key], language)


def resident_facts(buurten, names: dict[str, str], *, prefix: str, horizontal: bool = True) -> tuple:
    """The optional facts a resident may give with their input (age group, home buurt, rent or
    own), each with "rather not say" first: returns ``(age_group, home_buurt, tenure)``, None
    where not given. Widget keys are ``{prefix}_age``, ``{prefix}_home``, ``{prefix}_tenure``."""
    from enschede_gis import inputs

    language = lang()

    def say(key: str, **values: object) -> str:
        return i18n.t(key, language, **values)

    age = st.selectbox(
        t("inbreng.age_group"),
        [None, *inputs.AGE_GROUPS],
        format_func=lambda a: say("inbreng.rather_not") if a is None else say("inbreng.age", band=a),
        key=f"{prefix}_age",
    )
    home = st.selectbox(
        t("inbreng.home_buurt"),
        [None, *sorted(buurten, key=lambda c: names.get(c, c)), inputs.ELSEWHERE],
        format_func=lambda c: (
            say("inbreng.rather_not")
            if c is None
            else say("inbreng.elsewhere")
            if c == inputs.ELSEWHERE
            else names.get(c, c)
        ),
        key=f"{prefix}_home",
    )
    tenure = st.radio(
        t("inbreng.tenure_label"),
        [None, *inputs.TENURES],
        format_func=lambda x: say("inbreng.rather_not") if x is None else say(f"inbreng.tenure.{x}"),
        horizontal=horizontal,
        key=f"{prefix}_tenure",
    )
    return age, home, tenure


_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:"


def escape(text: object) -> str:
    """User text made safe for Streamlit's markdown (st.success, st.markdown, labels): shown as typed."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in str(text))


def markdown_table(frame: pd.DataFrame) -> str:
    """``frame`` as a Markdown table (header, then one line per row), every cell escaped with
    :func:`escape` (a ``|`` too) and on one line: shown as text by ``st.markdown``, which draws at once,
    where ``st.table`` and ``st.dataframe`` wait for the browser to load their Arrow code."""

    def line(cells) -> str:
        return "| " + " | ".join(escape(" ".join(str(cell).split())) for cell in cells) + " |"

    rows = [line(frame.columns), "|" + "---|" * len(frame.columns)]
    return "\n".join(rows + [line(row) for row in frame.itertuples(index=False)])


def scroll_table(frame: pd.DataFrame, label: str) -> None:
    """``frame`` as a :func:`markdown_table` in a box of its own that scrolls sideways when the table is
    wider than the page (a phone), each cell on one line (:data:`TABLE_CSS`). The box is a named region
    that takes keyboard focus, so it can be scrolled without a mouse (axe: scrollable-region-focusable)."""
    st.markdown(
        f'<div class="wb-table" role="region" tabindex="0" aria-label="{html.escape(label)}">\n\n'
        f"{markdown_table(frame)}\n\n</div>",
        unsafe_allow_html=True,
    )


def page_link(page: str, label: str, **params: str) -> None:
    """A link to another page with URL state (e.g. ``area=``); silent where the page is not registered
    (a page run on its own in an AppTest has no navigation to link into)."""
    try:
        st.page_link(page, label=label, query_params=params or None)
    except st.errors.StreamlitAPIException:
        st.caption(label)


def explain_button(indicator: Indicator, *, level: str, key: str) -> None:
    """An "Uitleg" popover with the indicator's plain-language explanation: what it measures, how it
    is counted, how buurten are combined, what it does not tell you, and its source tables and years
    (``level`` limits those to buurt, wijk or gemeente). Every page that shows a figure can call it.

    Its content is drawn only while it is open (see :func:`_explain_popover`)."""
    _explain_popover([indicator], level, key, pick=False)


def explain_picker(indicators: list[Indicator], *, level: str | None = None, key: str = "explain_picker") -> None:
    """One "Uitleg" popover for a table or chart with several figures: pick a figure, read its
    explanation (as :func:`explain_button`). Nothing is shown when ``indicators`` is empty."""
    chosen = list({ind.key: ind for ind in indicators}.values())
    if chosen:
        _explain_popover(chosen, level, key, pick=True)


@st.fragment
def _explain_popover(indicators: list[Indicator], level: str | None, key: str, *, pick: bool) -> None:
    """The popover itself, in a fragment of its own: a closed popover draws nothing inside it (a first
    screen draws only its label), and opening or closing it reruns only this fragment, not the page."""
    box = st.popover(t("uitleg.button"), icon=":material/info:", key=f"{key}_open", on_change="rerun")
    if not box.open:
        return
    with box:
        chosen = indicators[0]
        if pick:
            language = lang()  # format_func may be called after the run (e.g. by a test harness)
            label = t("uitleg.pick")
            chosen = st.selectbox(label, indicators, format_func=lambda ind: ind.label(language), key=f"{key}_choice")
        _explanation(chosen, level)


def _explanation(indicator: Indicator, level: str | None) -> None:
    from enschede_gis import explain

    block = explain.explanation(indicator, data().statistics, lang(), level=level, catalogue=catalogue())
    st.markdown(f"**{escape(block.title)}**")
    for label, text in block.parts():
        st.markdown(f"**{escape(label)}:** {escape(text)}")


# --- Projector ------------------------------------------------------------------------------------

#: Type sizes (CSS px) for a page shown to a room: readable from the back on a 1080p projector.
#: The one place that sets them; chart text is set once in :data:`enschede_gis.charts.CHART_TEXT_PX`.
PROJECTOR_PX = {"body": 30, "small": 28, "h1": 60, "h2": 46, "h3": 38, "metric": 56, "button": 28}
#: Text colours on white: #000 and #333 pass WCAG AA (and AAA) for every size.
PROJECTOR_TEXT, PROJECTOR_MUTED = "#000000", "#333333"


def projector_css() -> str:
    """The projector stylesheet: large type, black on white, no sidebar, and text that wraps instead of
    being cut off (metric labels, table cells, buttons)."""
    px, ink, muted = PROJECTOR_PX, PROJECTOR_TEXT, PROJECTOR_MUTED
    return f"""
<style>
section[data-testid="stSidebar"], header[data-testid="stHeader"], [data-testid="stToolbar"] {{display: none;}}
.stApp, .stApp [data-testid="stAppViewContainer"] {{background: #ffffff; color: {ink};}}
.block-container {{padding-top: 1.2rem; max-width: 100%;}}
.stApp p, .stApp li, .stApp label, .stApp td, .stApp th, .stApp input, .stApp textarea,
.stApp [data-testid="stText"], .stApp [data-testid="stMarkdownContainer"], .stApp [data-testid="stAlertContainer"]
  {{font-size: {px["body"]}px !important; line-height: 1.35; color: {ink};}}
.stApp h1 {{font-size: {px["h1"]}px !important; font-weight: 800; color: {ink};}}
.stApp h2 {{font-size: {px["h2"]}px !important; font-weight: 800; color: {ink};}}
.stApp h3 {{font-size: {px["h3"]}px !important; font-weight: 700; color: {ink};}}
.stApp [data-testid="stMetricValue"], .stApp [data-testid="stMetricValue"] * {{
  font-size: {px["metric"]}px !important; font-weight: 800; color: {ink}; white-space: normal !important;}}
.stApp [data-testid="stMetricLabel"], .stApp [data-testid="stMetricLabel"] * {{font-size: {px["small"]}px !important;
  color: {ink}; white-space: normal !important; overflow: visible !important; text-overflow: clip !important;}}
.stApp [data-testid="stCaptionContainer"], .stApp [data-testid="stCaptionContainer"] * {{
  font-size: {px["small"]}px !important; color: {muted};}}
.stApp button p {{font-size: {px["button"]}px !important; font-weight: 700; white-space: normal;}}
.stApp button[kind="primary"] p {{color: #ffffff;}}
.stApp [data-testid="stText"], .stApp td, .stApp th {{white-space: pre-wrap; overflow-wrap: anywhere;}}
.wb-agenda {{font-size: {px["small"]}px; color: {muted}; margin-bottom: 0.4rem;}}
.wb-agenda b {{color: {ink}; text-decoration: underline; text-underline-offset: 6px;}}
</style>
"""


def projector_style() -> None:
    """Show this page in projector type (see :func:`projector_css`)."""
    st.markdown(projector_css(), unsafe_allow_html=True)


# --- Navigation -----------------------------------------------------------------------------------

_REPO = Path(__file__).resolve().parent

#: The page icon, a file of the app itself: a ":material/...:" icon is fetched from fonts.gstatic.com.
PAGE_ICON = str(_REPO / "static" / "icon.png")

#: (file, title key, icon, url path). The first is the default page; a page appears once its file exists.
PAGES = [
    ("views/start.py", "nav.start", ":material/home:", "start"),
    ("views/kaart.py", "nav.kaart", ":material/map:", "kaart"),
    ("views/profiel.py", "nav.profiel", ":material/description:", "profiel"),
    ("views/vergelijken.py", "nav.vergelijken", ":material/compare:", "vergelijken"),
    ("views/gebieden.py", "nav.gebieden", ":material/select_all:", "gebieden"),
    ("views/eigen_gegevens.py", "nav.eigen_gegevens", ":material/upload_file:", "eigen-gegevens"),
    ("views/prioriteiten.py", "nav.prioriteiten", ":material/leaderboard:", "prioriteiten"),
    ("views/scenarios.py", "nav.scenarios", ":material/science:", "scenarios"),
    ("views/bijeenkomst.py", "nav.bijeenkomst", ":material/co_present:", "bijeenkomst"),
    ("views/inbreng.py", "nav.inbreng", ":material/forum:", "inbreng"),
    ("views/projecten.py", "nav.projecten", ":material/event_note:", "projecten"),
    ("views/gegevens.py", "nav.gegevens", ":material/database:", "gegevens"),
]


#: The residents' join page: the only page a resident sees (phones at a meeting).
JOIN_PAGE = ("views/deelnemen.py", "nav.deelnemen", ":material/how_to_vote:", "doe-mee")


def pages() -> list[st.Page]:
    """The pages this session may open, in navigation order, titled in the current language.

    A resident gets only the join page; every staff page's address is then registered as a hidden
    page that says it is for staff (so typing ``/projecten`` on a phone shows that, never the page).
    Staff get every page and the join page last.
    """
    join_path, join_title, join_icon, join_slug = JOIN_PAGE
    if not is_staff():
        join = st.Page(str(_REPO / join_path), title=t(join_title), icon=join_icon, url_path=join_slug)
        # Streamlit serves the default page at "/" only (its own path would be "not found"), so the
        # join page is registered twice: at "/" and at "/doe-mee", where the QR code points.
        home = st.Page(str(_REPO / join_path), title=t(join_title), url_path="welkom", default=True)
        blocked = [
            st.Page(_staff_only, title=t(title), url_path=slug, visibility="hidden")
            for _path, title, _icon, slug in PAGES
        ]
        return [join, home, *blocked]
    listed = [
        st.Page(str(_REPO / path), title=t(title), icon=icon, url_path=slug, default=i == 0)
        for i, (path, title, icon, slug) in enumerate(PAGES)
        if (_REPO / path).exists()
    ]
    return [*listed, st.Page(str(_REPO / join_path), title=t(join_title), icon=join_icon, url_path=join_slug)]


def _staff_only() -> None:
    """What a resident sees at a staff page's address: that it is for staff, and the way back."""
    st.warning(t("auth.staff_only"))
    page_link(str(_REPO / JOIN_PAGE[0]), t("auth.to_join"), **lang_params())


def page(slug: str) -> str:
    """The file of the page with this url path, for ``st.page_link``."""
    for path, _title, _icon, url_path in [*PAGES, JOIN_PAGE]:
        if url_path == slug:
            return str(_REPO / path)
    raise KeyError(slug)


def lang_params() -> dict[str, str]:
    """Query parameters that keep the chosen language on a link to another page."""
    return {} if lang() == i18n.DEFAULT_LANGUAGE else {"lang": lang()}


def show_representation(result, *, heading: bool = True, projector: bool = False) -> None:
    """Who gave input next to who lives in the area (an :class:`enschede_gis.representation.
    Representation`): the flagged groups, the protected table and the rules, all as plain text.
    ``projector`` shows the table as a static table (large print, nothing to scroll)."""
    from enschede_gis import representation

    if heading:
        st.subheader(t("uitleg.repr.title", area=escape(result.area_label)))
    for line in representation.summary_lines(result) or [t("uitleg.repr.no_flags")]:
        st.text(line)
    table = representation.display_table(result)
    if projector:
        st.table(table.set_index(table.columns[0]))
    else:
        st.dataframe(table, hide_index=True, width="stretch")
    for note in representation.notes(result):
        st.caption(escape(note))


# --- Geometry for maps ------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _web_boundaries(data_dir: str, level: str, gemeente_code: str):
    from enschede_gis import boundaries

    return boundaries.for_web(boundaries.for_gemeente(_snapshot(data_dir), level, gemeente_code))


def web_boundaries(level: str, gemeente_code: str | None = None):
    """Simplified WGS84 outlines of one level for a browser map (read-only, shared by all sessions)."""
    return _web_boundaries(str(settings.DATA_DIR), level, gemeente_code or gemeente())


# --- The browser map (static/wbmap: geometry sent once, then only the view) -------------------------

_MAP_SOURCE = _REPO / "static" / "wbmap"


@st.cache_resource(show_spinner=False)
def _map_component():
    """The map component, served from a folder outside the repository that also holds the geometry
    files (named by content hash). The folder's name carries the hash of the component's own files,
    so two versions of the app never share one."""
    import hashlib
    import shutil
    import tempfile

    from streamlit.components.v1 import declare_component

    sources = sorted(p for p in _MAP_SOURCE.iterdir() if p.is_file())
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"wijkbeeld-map-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    for source in sources:
        target = folder / source.name
        if not target.exists():
            shutil.copyfile(source, folder / f".{source.name}.tmp")
            (folder / f".{source.name}.tmp").replace(target)
    return folder, declare_component("wijkbeeld_map", path=str(folder))


@st.cache_resource(show_spinner=False, max_entries=32)
def _map_asset(data_dir: str, level: str, gemeente_code: str, custom: tuple):
    from enschede_gis import boundaries, webmap

    snap = _snapshot(data_dir)
    wijken = _web_boundaries(data_dir, "wijk", gemeente_code)
    if level == "wijk":
        asset = webmap.geometry_asset(wijken)
    elif level == "buurt":
        asset = webmap.geometry_asset(_web_boundaries(data_dir, "buurt", gemeente_code), wijken=wijken)
    else:  # custom areas: the union of their buurten, in the grey buurten around them
        groups = {key: list(codes) for key, _name, codes in custom}
        names = {key: name for key, name, _codes in custom}
        areas = boundaries.for_web(boundaries.custom_outlines(snap, groups, names), coverage=False)
        buurten = _web_boundaries(data_dir, "buurt", gemeente_code)
        asset = webmap.geometry_asset(areas, wijken=wijken, context=buurten)
    webmap.write_asset(_map_component()[0], asset)
    return asset


def map_asset(level: str, custom: tuple = (), gemeente_code: str | None = None):
    """The geometry file of a level (``custom``: (key, name, buurt codes) of the custom areas), written
    where the browser map loads it; an :class:`enschede_gis.webmap.Asset` (shared by all sessions)."""
    return _map_asset(str(settings.DATA_DIR), level, gemeente_code or gemeente(), tuple(custom))


def area_map(args: dict, *, key: str, height: int = 640) -> str | None:
    """Show the browser map with a view from :mod:`enschede_gis.webmap` (``view_args``, ``plain_view``,
    ``category_view``, with marks from ``with_marks``); returns the code of the area last clicked (None
    before any click), or in pick mode the place last clicked as sent (read it with :func:`new_place`).
    Panning and zooming never rerun the script."""
    _folder, component = _map_component()
    return component(**args, height=height, key=key, default=None)


def new_place(key: str):
    """The place clicked on the pick-mode map ``key`` (see :func:`enschede_gis.webmap.with_marks`)
    since this session last asked: an :class:`enschede_gis.webmap.Click` (WGS84), else None. Read
    before the map is drawn, so the map shows the click's result in the same run. A value that is
    not a place is said, and nothing else happens."""
    from enschede_gis import webmap

    try:
        click = webmap.clicked_point(st.session_state.get(key))
    except WijkbeeldError as exc:
        st.error(error_text(exc))
        return None
    seen = f"_seen_place:{key}"
    if click is None or st.session_state.get(seen) == click.id:
        return None
    st.session_state[seen] = click.id
    return click


def new_click(key: str, codes: set[str]) -> str | None:
    """The area clicked on the browser map ``key`` since the last run, if it is one of ``codes``
    (the map keeps its last value between runs, so the same value again is no new click)."""
    code = st.session_state.get(key)
    if code in codes and code != st.session_state.get(f"_last_click:{key}"):
        st.session_state[f"_last_click:{key}"] = code
        return code
    return None


def labeller(prefix: str, rename: dict[str, str] | None = None, *, keep: bool = False):
    """A ``format_func`` showing ``t(f"{prefix}.{value}")`` in this run's language, also when called later.

    ``rename`` maps a value to another key; with ``keep`` a value without a mapping is shown as it is.
    """
    language = lang()

    def label(value: str) -> str:
        key = (rename or {}).get(value)
        if key is None:
            if keep:
                return value
            key = value
        return i18n.t(f"{prefix}.{key}", language)

    return label
