"""The dashboard in a real browser: Debian's chromium driven by Playwright against `streamlit run` on 127.0.0.1."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from review.export import read_csv
from tests.conftest import IN_CI
from tests.ui.corpora import write_harbour_archive

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# Without these, chromium tries Google's services at start-up; this machine has no network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-default-apps"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail("/usr/bin/chromium is missing; .ci/run installs it with apt-get")
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")


def _start(data_dir, extra_env: dict, port: int | None = None, args: tuple[str, ...] = ()):
    """Start `streamlit run app.py` on a 127.0.0.1 port (a free one unless given): (process, url) once healthy."""
    port = port or _free_port()
    env = {**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir), **extra_env}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         *args],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return server, url
        except OSError:
            time.sleep(0.3)
    server.kill()
    pytest.fail("streamlit did not start within 60 s")


def _serve(data_dir, extra_env: dict, port: int | None = None, args: tuple[str, ...] = ()):
    """Run `streamlit run app.py` on a free 127.0.0.1 port until the generator is closed."""
    server, url = _start(data_dir, extra_env, port, args)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def dashboard_reviews(tmp_path_factory) -> str:
    """The review store of the ``dashboard`` fixture's server."""
    return f"sqlite:///{tmp_path_factory.mktemp('browser') / 'reviews.db'}"


@pytest.fixture(scope="module")
def dashboard(data_dir, pipeline, dashboard_reviews):
    _require_chromium()
    assert len(pipeline.index) > 0  # the demo index exists before the server starts
    yield from _serve(data_dir, {"CLAIMDESK_REVIEW_URL": dashboard_reviews})


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _reviewed(page) -> tuple[int, int]:
    text = page.get_by_text(re.compile(r"\d+ of \d+ reviewed")).first.inner_text()
    done, total = re.search(r"(\d+) of (\d+) reviewed", text).groups()
    return int(done), int(total)


def _wait_reviewed(page, expected: int) -> None:
    page.get_by_text(re.compile(rf"^{expected} of \d+ reviewed")).first.wait_for(timeout=60_000)


def _wait_idle(page) -> None:
    """Until Streamlit's "Running..." indicator has stayed away for a second: a rerun replaces the files behind
    download links. On a loaded machine a rerun can start after a shorter quiet spell."""
    status = page.locator("[data-testid='stStatusWidget']")
    for _ in range(60):
        page.wait_for_timeout(300)
        status.wait_for(state="detached", timeout=60_000)
        page.wait_for_timeout(1000)
        if status.count() == 0:
            return
    raise AssertionError("the dashboard never went idle")


def _download_csv(page, saved: Path) -> list[dict]:
    """Click the sidebar's CSV download and read what the browser saved (after ``_wait_idle``: Streamlit cancels
    a download whose file a rerun has just replaced)."""
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download review CSV").click()
    download.value.save_as(saved)
    return read_csv(saved.read_text(encoding="utf-8"))


def _screenshot(page, name: str) -> None:
    """The README's screenshots come from these tests: `make screenshots` sets CLAIMDESK_SCREENSHOTS=docs."""
    folder = os.environ.get("CLAIMDESK_SCREENSHOTS")
    if folder:
        _wait_idle(page)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def _text(page) -> str:
    """The page's text with the review deck's, which sits in a shadow root that ``inner_text("body")`` skips."""
    deck = page.locator(".cd-deck")
    return page.inner_text("body") + "\n" + (deck.first.inner_text() if deck.count() else "")


def _claim_ids(store, article_id: str) -> list[str]:
    """The stored check's claim ids, in the article's order."""
    from claimdesk.results import load_result

    return [c.claim.id for c in load_result(store, article_id).claims]


def _wait_deck(page) -> None:
    """Until the review deck (ui/deck/deck.js) is drawn and takes keys."""
    page.locator(".cd-deck[data-ready]").first.wait_for(timeout=60_000)


def _review_as(browser, url: str, name: str):
    """A new browser context on ``url`` with the demo article's deck drawn and ``name`` typed as the reviewer:
    (context, page)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.goto(url)
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    _wait_deck(page)
    page.get_by_label("Reviewer", exact=True).fill(name)
    page.get_by_label("Reviewer", exact=True).press("Enter")
    _wait_idle(page)
    return context, page


def _box(page, selector: str) -> dict:
    """The first element's box once it is drawn: between a rerun's removal of an element and its redraw, Playwright
    gives no box."""
    for _ in range(100):
        box = page.locator(selector).first.bounding_box()
        if box is not None:
            return box
        page.wait_for_timeout(100)
    raise AssertionError(f"{selector} was never drawn")


def _press(page, key: str) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press(key)


def test_keyboard_review_undo_download_and_reload(dashboard, browser, tmp_path):
    page = browser.new_page(accept_downloads=True, viewport={"width": 1400, "height": 1600})
    page.goto(dashboard)
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    _wait_deck(page)
    assert _reviewed(page)[0] == 0
    # No decision is recorded without a reviewer: the buttons wait for a name.
    page.get_by_text("to record decisions").first.wait_for(timeout=30_000)
    _press(page, "s")
    page.wait_for_timeout(1500)
    assert _reviewed(page)[0] == 0
    page.get_by_label("Reviewer", exact=True).fill("ana")
    page.get_by_label("Reviewer", exact=True).press("Enter")
    _wait_idle(page)

    _press(page, "?")  # the help opens from the keyboard
    page.get_by_text("undo your last decision").first.wait_for(timeout=30_000)
    page.keyboard.press("Escape")

    _press(page, "s")
    _wait_reviewed(page, 1)
    page.get_by_text("Claim 2 of").first.wait_for(timeout=30_000)
    page.set_viewport_size({"width": 1400, "height": 700})
    page.get_by_text("Audit trail of claim").first.scroll_into_view_if_needed()  # down at the last evidence
    assert page.locator(".cd-count").first.bounding_box()["y"] < 0
    _press(page, "c")
    _wait_reviewed(page, 2)
    page.get_by_text("Claim 3 of").first.wait_for(timeout=30_000)
    _wait_idle(page)  # measured once the rerun that saves the decision has redrawn the deck, not during it
    # The next claim's number, text and decision bar are in view, not only its evidence.
    for part in (".cd-count", ".cd-claim", ".cd-statuses"):
        box = _box(page, part)
        assert box["y"] >= 0 and box["y"] + box["height"] <= 700, (part, box)
    page.set_viewport_size({"width": 1400, "height": 1600})
    _press(page, "i")
    _wait_reviewed(page, 3)
    _press(page, "u")  # undo the third decision
    _wait_reviewed(page, 2)
    page.get_by_text("Claim 3 of").first.wait_for(timeout=30_000)
    _wait_idle(page)

    # A note typed and decided with, then undone: the box shows what the store holds again, not the typed text.
    page.get_by_label("Note").fill("checked against TASS")
    _press(page, "c")  # leaving the box keeps the note; the key decides with it
    _wait_reviewed(page, 3)
    _press(page, "u")
    _wait_reviewed(page, 2)
    page.get_by_text("Claim 3 of").first.wait_for(timeout=30_000)
    _wait_idle(page)
    assert page.get_by_label("Note").input_value() == ""

    rows = _download_csv(page, tmp_path / "review.csv")
    assert [r["analyst_verdict"] for r in rows[:3]] == ["Supported", "Conflicted", "Unreviewed"]
    assert [r["note"] for r in rows[:3]] == ["", "", ""] and {r["reviewer"] for r in rows[:2]} == {"ana"}
    assert len(rows) == _reviewed(page)[1]

    page.reload()
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    _wait_reviewed(page, 2)
    assert page.get_by_label("Reviewer", exact=True).input_value() == "ana"  # this browser remembers who reviews
    page.set_viewport_size({"width": 1400, "height": 1000})
    _screenshot(page, "review")
    for tab, name in (("Article", "article"), ("Charts", "charts")):
        page.locator("[data-testid='stButtonGroup']").get_by_text(tab, exact=True).click()
        _screenshot(page, name)
    page.close()


def test_a_dashboard_killed_mid_review_comes_back_on_the_same_claim_with_the_analyst_and_undo(
        data_dir, pipeline, browser, tmp_path):
    """The dashboard process is SIGKILLed just after a key press (the save may or may not have landed) and
    started again: the reloaded page sends the decision again if it had not landed, is on the claim the address
    names, under the remembered reviewer, the decisions and audit log agree, and undo still steps back over the
    restart."""
    import random
    import signal

    from review.store import open_store
    from tests.review.test_faults import assert_audit_tells_the_same_story

    _require_chromium()
    assert len(pipeline.index) > 0
    env = {"CLAIMDESK_REVIEW_URL": f"sqlite:///{tmp_path / 'reviews.db'}"}
    port = _free_port()
    server, url = _start(data_dir, env, port)
    try:
        context, page = _review_as(browser, url, "ana")
        _press(page, "s")
        _wait_reviewed(page, 1)
        _press(page, "c")
        _wait_reviewed(page, 2)
        page.get_by_text("Claim 3 of").first.wait_for(timeout=30_000)
        _wait_idle(page)
        assert "claim=" in page.url and "article=" in page.url
        _press(page, "i")
        page.wait_for_timeout(random.Random().randint(0, 400))
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        store = open_store(env["CLAIMDESK_REVIEW_URL"])
        article_id = store.articles()[0]["id"]
        decided = len([r for r in store.reviews(article_id).values() if r.status != "Unreviewed"])
        assert decided in (2, 3)  # the third save landed whole or not at all
        assert_audit_tells_the_same_story(store, article_id)

        server, url = _start(data_dir, env, port)
        page.reload()
        page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
        # A decision the killed server never confirmed is sent again by the reloaded page: none is lost, none is
        # applied twice.
        _wait_reviewed(page, 3)
        third = store.get(article_id, _claim_ids(store, article_id)[2])
        assert third.status == "Inconclusive" and third.reviewer == "ana"
        assert [e.new for e in store.audit(article_id, third.claim_id) if e.field == "status"] == ["Inconclusive"]
        page.get_by_text(re.compile(r"^Claim [34] of")).first.wait_for(timeout=30_000)
        assert page.get_by_label("Reviewer", exact=True).input_value() == "ana"
        _wait_deck(page)
        _wait_idle(page)
        _press(page, "u")  # the last decision before the kill is undone after it
        _wait_reviewed(page, 2)
        page.get_by_text("Claim 3 of").first.wait_for(timeout=30_000)
        assert_audit_tells_the_same_story(store, article_id)
        context.close()
    finally:
        server.kill()
        server.wait(timeout=30)


def test_hostile_markup_shows_as_text_and_never_runs(dashboard, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(dashboard)
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    page.get_by_text("Paste text").click()
    hostile = ('The minister said <script>alert("script ran")</script> that 40 people '
               '<img src=x onerror="alert(\'img ran\')"> were evacuated from the port on Monday, officials said.')
    page.get_by_label("Article text").fill(hostile)
    page.get_by_label("Article text").press("Control+Enter")
    page.get_by_text("Check without a date").click()
    page.get_by_role("button", name="Check article").click()
    # While the check reruns the page, the previous article's panel can still be on it beside the new one, so
    # "Claim 1 of" alone may be the demo article's (a loaded CI machine showed it): wait for the pasted claim.
    _wait_idle(page)
    page.get_by_text("Claim 1 of").first.wait_for(timeout=120_000)
    page.get_by_text('<script>alert("script ran")</script>').first.wait_for(timeout=120_000)
    body = _text(page)
    assert '<script>alert("script ran")</script>' in body
    assert "onerror" in body
    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0
    page.close()


def test_posts_without_the_xsrf_token_and_oversized_uploads_are_refused(dashboard, browser, tmp_path):
    # Streamlit's XSRF protection is on: an upload PUT without the token is refused before it reaches a session.
    request = urllib.request.Request(f"{dashboard}/_stcore/upload_file/any-session/any-file", data=b"x", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403 and b"XSRF" in refused.value.read()
    # Uploads are capped at 2 MB (an article's limit is 2,000,000 bytes): the browser is told, nothing is checked.
    big = tmp_path / "huge.txt"
    big.write_text("The council met on Monday. " * 120_000, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(dashboard)
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    page.get_by_text("Upload file").click()
    page.locator("input[type='file']").set_input_files(str(big))
    page.get_by_text("2.0MB or smaller").or_(page.get_by_text("2MB or smaller")).first.wait_for(timeout=60_000)
    page.close()


def test_the_analyst_can_rerank_one_check(dashboard, browser, pipeline):
    """The sidebar switch reranks the next check, the page says which order it shows, and the first claim's
    top passage is the one the pipeline ranks first at the fitted depth."""
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article

    expected = pipeline.check(read_article(DEMO_ARTICLE), rerank_depth=30).claims[0].evidence[0].passage.text
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(dashboard)
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    page.get_by_text("evidence in search order").first.wait_for(timeout=30_000)
    _wait_idle(page)
    page.get_by_text("Rerank evidence (slower)").click()
    page.get_by_role("button", name="Check article").click()
    page.get_by_text("evidence reranked from the search's top 30").first.wait_for(timeout=120_000)
    _wait_idle(page)
    page.get_by_text("Claim 1 of").first.wait_for(timeout=30_000)
    assert expected in _text(page)
    assert "evidence in search order" not in _text(page)
    page.close()


def _behind_proxy(data_dir, tmp_path_factory, name: str):
    """The dashboard configured for a team behind an authenticating proxy that sets X-Claimdesk-User, with a
    review database of its own: (the proxy's url, database path). The browser reaches it only through the proxy
    (tests/identity_proxy.py), which signs people in by a cookie and drops any identity header they send."""
    from tests.identity_proxy import IdentityProxy

    _require_chromium()
    reviews = tmp_path_factory.mktemp(name) / "reviews.db"
    port = _free_port()
    served = _serve(data_dir, {"CLAIMDESK_REVIEW_URL": f"sqlite:///{reviews}",
                               "CLAIMDESK_REVIEWER_HEADER": "X-Claimdesk-User"}, port=port)
    next(served)
    with IdentityProxy(port) as proxy:
        yield proxy.url, reviews
    served.close()


def _signed_in(browser, url: str, who: str, **options):
    """A browser context signed in at the proxy as ``who``."""
    context = browser.new_context(**options)
    context.add_cookies([{"name": "proxy_user", "value": who, "url": url}])
    return context


@pytest.fixture(scope="module")
def proxied_dashboard(data_dir, pipeline, tmp_path_factory):
    yield from _behind_proxy(data_dir, tmp_path_factory, "proxied")


def _decide_first_claim_and_check_reviewer(page, context, reviews, expected: str) -> None:
    """Mark claim 1 from the keyboard, close the browser, and find the decision stored under ``expected``."""
    from review.store import open_store

    _wait_deck(page)
    _press(page, "s")
    _wait_reviewed(page, 1)
    context.close()
    store = open_store(f"sqlite:///{reviews}")
    article_id = store.articles()[0]["id"]
    assert [r.reviewer for r in store.reviews(article_id).values()] == [expected]


def test_reviewer_identity_comes_from_the_proxy_header(proxied_dashboard, browser):

    url, reviews = proxied_dashboard
    # Not signed in at the proxy, and trying to name oneself with the header: the proxy drops it.
    anonymous = browser.new_page(extra_http_headers={"X-Claimdesk-User": "mallory@elsewhere"})
    anonymous.goto(url)
    anonymous.get_by_text("No reviewer identity").wait_for(timeout=120_000)
    assert anonymous.get_by_text("Evidence from prior reporting").count() == 0
    anonymous.close()

    context = _signed_in(browser, url, "ana@newsroom")
    page = context.new_page()
    page.goto(url)
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    page.get_by_text("Signed in as").wait_for(timeout=30_000)
    assert page.get_by_label("Reviewer", exact=True).count() == 0  # no free-text identity to type over
    _decide_first_claim_and_check_reviewer(page, context, reviews, "ana@newsroom")


@pytest.fixture(scope="module")
def team_dashboard(data_dir, pipeline, tmp_path_factory):
    """A team deployment: identities from the trusted proxy header, one shared review database."""
    yield from _behind_proxy(data_dir, tmp_path_factory, "team")


def _open_as(browser, url: str, who: str):
    context = _signed_in(browser, url, who, accept_downloads=True, viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.goto(url)
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    _wait_deck(page)
    _wait_idle(page)
    return context, page


def test_two_reviewers_on_one_article_conflict_resolve_and_export(team_dashboard, browser, tmp_path):
    """As a new team would try it: two browser sessions on the same article, each reviewing, one conflict
    (both decide claim 1 from the same screen), both resolve it, then one exports."""
    url, reviews = team_dashboard
    ana_context, ana = _open_as(browser, url, "ana@newsroom")
    ben_context, ben = _open_as(browser, url, "ben@newsroom")

    _press(ana, "s")  # ana: claim 1 Supported, moves on to claim 2
    _wait_reviewed(ana, 1)
    ana.get_by_text("Claim 2 of").first.wait_for(timeout=30_000)
    _press(ben, "c")  # ben still sees claim 1 as unreviewed: his save must not overwrite ana's silently
    ben.get_by_text("changed this claim").wait_for(timeout=60_000)
    assert ben.get_by_text("ana@newsroom", exact=False).count() > 0
    ben.get_by_role("button", name="Use mine").click()  # ben, having seen ana's decision, overrules it
    ben.get_by_text("changed this claim").wait_for(state="detached", timeout=60_000)
    _wait_idle(ben)
    _wait_reviewed(ben, 1)

    _press(ana, "i")  # ana goes on: claim 2 Inconclusive
    _wait_reviewed(ana, 2)
    _wait_idle(ana)
    ben.reload()  # ben sees ana's decision on claim 2 after a reload
    ben.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    _wait_reviewed(ben, 2)
    _wait_idle(ben)
    rows = _download_csv(ben, tmp_path / "team.csv")
    assert [(r["analyst_verdict"], r["reviewer"]) for r in rows[:2]] == [
        ("Conflicted", "ben@newsroom"), ("Inconclusive", "ana@newsroom")]
    ana_context.close()
    ben_context.close()

    from review.store import open_store

    store = open_store(f"sqlite:///{reviews}")
    article_id = store.articles()[0]["id"]
    first = rows[0]["claim_id"]
    assert [(e.field, e.old, e.new, e.who) for e in store.audit(article_id, first) if e.field == "status"] == [
        ("status", "Unreviewed", "Supported", "ana@newsroom"), ("status", "Supported", "Conflicted", "ben@newsroom")]


@pytest.fixture(scope="module")
def signed_in_dashboard(data_dir, pipeline, tmp_path_factory):
    """A team deployment whose reviewers sign in through OpenID Connect (st.login) at a real provider."""
    from tests.oidc_provider import OidcProvider

    _require_chromium()
    folder = tmp_path_factory.mktemp("oidc")
    port = _free_port()
    with OidcProvider() as provider:
        secrets_file = folder / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{os.urandom(16).hex()}"\n'
            f'client_id = "{provider.client_id}"\n'
            f'client_secret = "{provider.client_secret}"\n'
            f'server_metadata_url = "{provider.metadata_url}"\n', encoding="utf-8")
        served = _serve(data_dir, {"CLAIMDESK_REVIEW_URL": f"sqlite:///{folder / 'reviews.db'}",
                                   "CLAIMDESK_AUTH": "oidc"}, port=port, args=("--secrets.files", str(secrets_file)))
        yield next(served), provider, folder / "reviews.db"
        served.close()


def test_reviewer_identity_comes_from_oidc_sign_in(signed_in_dashboard, browser):

    url, provider, reviews = signed_in_dashboard
    provider.next_user = {"sub": "user-17", "email": "cho@newsroom.example", "name": "Cho"}
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.goto(url)
    page.get_by_text("Sign in to review claims").wait_for(timeout=120_000)
    assert page.get_by_label("Reviewer", exact=True).count() == 0
    assert page.get_by_text("Evidence from prior").count() == 0
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for(timeout=120_000)
    assert "cho@newsroom.example" in page.get_by_text("Signed in as").inner_text()
    assert provider.token_requests == 1  # the app exchanged the code and verified the signed ID token
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    _decide_first_claim_and_check_reviewer(page, context, reviews, "cho@newsroom.example")


def test_an_undated_paste_asks_for_its_date_and_the_analyst_picks_the_corpus(dashboard, browser, pipeline,
                                                                               tmp_path):
    harbour = write_harbour_archive(tmp_path, "varna-archive")
    pipeline.for_corpus(harbour).build_index()

    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(dashboard)
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    page.get_by_text("Paste text").click()
    page.get_by_label("Article text").fill("The port of Varna reopened on May 2 after repairs, officials said. The "
                                           "Webb telescope sent back its first colour images, NASA said.")
    page.get_by_label("Article text").press("Control+Enter")
    # No date in the text: the page says so and waits for one before it checks.
    page.get_by_text("No publication date found in this article").wait_for(timeout=60_000)
    _wait_idle(page)
    assert page.get_by_role("button", name="Check article").is_disabled()
    # Typed into the date field's year, month and day, as an analyst would; it is taken when the field loses focus.
    page.get_by_role("spinbutton", name="year, Published").focus()
    page.keyboard.type("20240520")
    page.get_by_text("Article text").first.click()
    _wait_idle(page)
    assert page.get_by_role("button", name="Check article").is_enabled()
    # The corpus is chosen in the sidebar from those indexed here, and the page names the one searched.
    corpus = page.locator("[data-testid='stSelectbox']").filter(has_text="Corpus to search").locator("input")
    corpus.focus()
    page.keyboard.type("varna")
    page.get_by_role("option", name=re.compile(r"^varna-archive")).click()
    _wait_idle(page)
    page.get_by_role("button", name="Check article").click()
    page.get_by_text(re.compile(r"searched varna-archive")).first.wait_for(timeout=120_000)
    _wait_idle(page)
    header = page.get_by_text(re.compile(r"searched varna-archive")).first.inner_text()
    assert "2024-05-20" in header and "undated" not in header
    assert "Harbour Gazette" in _text(page)
    # The claim this corpus says nothing about is shown as not covered, not as a verdict over unrelated cards.
    page.get_by_role("button", name="Next →").click()
    page.get_by_text("Claim 2 of").first.wait_for(timeout=60_000)
    page.get_by_text(re.compile(r"Not covered: .*does not cover it")).first.wait_for(timeout=60_000)
    page.close()


def test_keys_pressed_while_the_page_is_still_running_are_kept_in_order(dashboard, browser):
    """An analyst who knows the claims presses ahead: the second and third keys arrive before the first decision is
    confirmed. The deck takes each at once and sends all three, in order; each lands once, on its own claim."""
    context, page = _review_as(browser, dashboard, "quick")
    _press(page, "s")
    page.keyboard.press("c")  # at once, while the first decision's rerun runs
    page.keyboard.press("s")
    _wait_reviewed(page, 3)
    page.get_by_text("Claim 4 of").first.wait_for(timeout=60_000)
    _press(page, "k")
    page.get_by_text("Claim 3 of").first.wait_for(timeout=60_000)
    _wait_idle(page)
    assert page.get_by_role("button", name="✓ Supported").count() == 1
    _press(page, "k")
    page.get_by_text("Claim 2 of").first.wait_for(timeout=60_000)
    _wait_idle(page)
    assert page.get_by_role("button", name="✓ Conflicted").count() == 1
    context.close()


def test_a_key_pressed_behind_an_undo_decides_the_undone_claim_and_other_views_keep_the_place(
        dashboard, dashboard_reviews, browser):
    """`u` then `c` at once means "undo that, and mark it Conflicted": the undo moves the analyst back, so the `c`
    waits for it and lands on the undone claim, not the one the deck showed when it was pressed. And a look at
    another view brings the analyst back to the claim they were on."""
    from review.store import open_store

    context, page = _review_as(browser, dashboard, "tess")
    for number in range(2, 9):
        _press(page, "j")
        page.get_by_text(f"Claim {number} of").first.wait_for(timeout=30_000)
    _wait_idle(page)
    store = open_store(dashboard_reviews)
    article_id = re.search(r"article=([\w-]+)", page.url).group(1)  # the demo article, among others checked here
    eighth, ninth = _claim_ids(store, article_id)[7:9]
    ninth_before = store.get(article_id, ninth)
    _press(page, "s")
    page.get_by_text("Claim 9 of").first.wait_for(timeout=30_000)
    _wait_idle(page)
    assert store.get(article_id, eighth).status == "Supported"
    _press(page, "u")
    page.keyboard.press("c")  # at once, before the undo is answered
    page.get_by_text("Claim 9 of").first.wait_for(timeout=30_000)
    _wait_idle(page)
    decided = store.get(article_id, eighth)
    assert (decided.status, decided.reviewer) == ("Conflicted", "tess")
    assert store.get(article_id, ninth) == ninth_before

    page.locator("[data-testid='stButtonGroup']").get_by_text("Charts", exact=True).click()
    _wait_idle(page)
    page.locator("[data-testid='stButtonGroup']").get_by_text("Review", exact=True).click()
    _wait_deck(page)
    _wait_idle(page)
    page.get_by_text("Claim 9 of").first.wait_for(timeout=30_000)
    assert "claim=" + ninth in page.url
    context.close()
