"""Writing a release in the Danish admin loses nothing: in Chromium, at desk and phone widths."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from pressroom.demo import DEMO_ACCOUNTS
from releases.models import Release, Status
from tests.browser.conftest import sign_in, watch_console
from tests.conftest import make_photo

pytestmark = pytest.mark.browser

PASSWORDS = {username: password for _role, username, password in DEMO_ACCOUNTS}
PDF = b"%PDF-1.7\n" + b"x" * 3000
SHOTS = "/tmp/authoring"

# The parts of admin pages this project adds; axe must find nothing in them. The rest of
# an admin page is Django's own (see test_admin_pages_have_no_violations_of_our_making).
OUR_PARTS = [[".mt-switch"], [".prose-editor"], [".kept-upload"], [".errornote"]]
# What axe reports about Django's own admin markup, which this project does not change.
DJANGO_ADMIN_RULES = {
    "aria-prohibited-attr",  # the search icons of the two-box selector
    "empty-table-header",  # tabular inlines' first column
    "label",  # tabular inlines' cells, labelled by their column heading only
    "label-title-only",
    "select-name",
    "link-in-text-block",  # breadcrumbs
}


def our_violations(page, messages=None):
    """axe's violations inside the parts this project adds to an admin page.

    With ``messages`` (from watch_console), first checks that the page has logged no error
    so far, then forgets what axe's own probing provokes (it sets inline styles, which
    the Content-Security-Policy refuses).
    """
    if messages is not None:
        assert messages == []
    present = [part for part in OUR_PARTS if page.locator(part[0]).count()]
    if not present:
        return []
    results = Axe().run(page, context={"include": present})
    if messages is not None:
        messages.clear()
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


def django_violations(page, messages=None):
    violations = {v["id"] for v in Axe().run(page).response["violations"]} - DJANGO_ADMIN_RULES
    if messages is not None:
        messages.clear()
    return violations


def new_page(browser, width=1280, locale="da-DK"):
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    return context.new_page()


def log_in(page, base, username):
    sign_in(page, base, username, PASSWORDS[username])
    page.wait_for_url(f"{base}/admin/")


def user(username):
    return get_user_model().objects.get(username=username)


def editor_of(page, field):
    return page.locator(f".field-{field} [contenteditable=true]")


def menu(page, field, name):
    return page.locator(f".field-{field} .prose-menubar [data-name='{name}']")


def click_in_text(page, locator):
    """Click into the editor's text, and give it the moment a person's next key comes after.

    ProseMirror takes a click's new selection from the browser's ``selectionchange``
    event, which Chromium sends after the click returns; a key pressed at once would
    still act on the old selection.
    """
    locator.click()
    page.wait_for_timeout(150)


def select_paragraph(page, field, text):
    """Select the text of one block, as a person does with Home and Shift+End.

    (A triple click in Chromium also selects the start of the next block.)
    """
    click_in_text(page, page.locator(f".field-{field} .ProseMirror > *", has_text=text).first)
    page.keyboard.press("Home")
    page.keyboard.press("Shift+End")


def test_every_toolbar_item_is_saved_and_shown_on_the_public_page(browser, demo_site):
    base = demo_site.url
    page = new_page(browser)
    log_in(page, base, "officer")
    page.goto(f"{base}/admin/releases/release/add/")
    page.locator(".mt-switch button[data-mode=da]").click()
    page.fill("#id_title_da", "Alt om formatering")
    editor_of(page, "body_da").click()
    lines = [
        "Overskrift to",
        "Overskrift tre",
        "Overskrift fire",
        "Fed tekst",
        "Kursiv tekst",
        "CO2",
        "x2",
        "Et punkt",
        "Et nummer",
        "Et citat",
        "Ministeriets side",
        "Linje et",
    ]
    page.keyboard.type("\n".join(lines))
    for text, level in [("Overskrift to", 2), ("Overskrift tre", 3), ("Overskrift fire", 4)]:
        select_paragraph(page, "body_da", text)
        page.locator(".field-body_da .prose-menubar__selected").click()
        menu(page, "body_da", f"heading{level}").click()
    for text, name in [
        ("Fed tekst", "bold"),
        ("Kursiv tekst", "italic"),
        ("CO2", "subscript"),
        ("x2", "superscript"),
        ("Et punkt", "bulletList"),
        ("Et nummer", "orderedList"),
        ("Et citat", "blockquote"),
    ]:
        select_paragraph(page, "body_da", text)
        menu(page, "body_da", name).click()
    select_paragraph(page, "body_da", "Ministeriets side")
    menu(page, "body_da", "link").click()
    page.get_by_label("Webadresse", exact=True).fill("www.um.dk")
    page.get_by_role("button", name="Opdater").click()
    # The dialog gives the editor its selection back as it closes; click after that.
    page.get_by_label("Webadresse", exact=True).wait_for(state="hidden")
    expect(
        page.locator(".field-body_da .ProseMirror a", has_text="Ministeriets side")
    ).to_be_visible()
    expect(editor_of(page, "body_da")).to_be_focused()
    click_in_text(page, page.locator(".field-body_da .ProseMirror p", has_text="Linje et"))
    page.keyboard.press("End")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("linje to")
    menu(page, "body_da", "horizontalRule").click()
    page.screenshot(path=f"{SHOTS}/toolbar.png", full_page=True)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")

    release = Release.objects.get(title_da="Alt om formatering")
    body = release.body_da
    for html in [
        "<h2>Overskrift to</h2>",
        "<h3>Overskrift tre</h3>",
        "<h4>Overskrift fire</h4>",
        "<strong>Fed tekst</strong>",
        "<em>Kursiv tekst</em>",
        "<sub>CO2</sub>",
        "<sup>x2</sup>",
        "<ul><li><p>Et punkt</p></li></ul>",
        "<ol><li><p>Et nummer</p></li></ol>",
        "<blockquote><p>Et citat</p></blockquote>",
        '<a href="https://www.um.dk" rel="noopener noreferrer">Ministeriets side</a>',
        "Linje et<br>linje to",
        "<hr>",
    ]:
        assert html in body, html
    assert re.sub(r"\s", "", editor_of(page, "body_da").inner_html()).count("<h2>") == 1

    release.submit(by=user("officer"))
    release.publish(by=user("editor"))
    reader = new_page(browser)
    reader.goto(f"{base}{release.get_absolute_url()}")
    assert reader.locator(".body").inner_html() == body
    assert reader.locator("h1").count() == 1


def test_pasted_word_content_keeps_its_text_on_the_allow_list(browser, demo_site):
    base = demo_site.url
    page = new_page(browser)
    log_in(page, base, "officer")
    page.goto(f"{base}/admin/releases/release/add/")
    editor_of(page, "body_da").click()
    word = (
        "<html><head><style>p.MsoNormal{margin:0}</style></head><body>"
        "<!--[if gte mso 9]><xml><w:WordDocument>Normal 0</w:WordDocument></xml><![endif]-->"
        "<h1>A heading one</h1><h5>A heading five</h5>"
        '<p class="MsoListParagraphCxSpFirst" style="mso-list:l0 level1 lfo1">'
        "<![if !supportLists]><span>·<span> </span></span><![endif]>First</p>"
        '<p class="MsoListParagraphCxSpLast" style="mso-list:l0 level1 lfo1">'
        "<![if !supportLists]><span>·<span> </span></span><![endif]>Second</p>"
        "<p class=MsoNormal><b>Fed</b> og <u>understreget</u><o:p></o:p></p></body></html>"
    )
    page.evaluate(
        """([html]) => {
          const data = new DataTransfer();
          data.setData('text/html', html);
          data.setData('text/plain', 'plain');
          document.querySelector('.field-body_da [contenteditable=true]').dispatchEvent(
            new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        [word],
    )
    assert page.input_value("#id_body_da").replace("<p></p>", "") == (
        "<h2>A heading one</h2><h4>A heading five</h4>"
        "<ul><li><p>First</p></li><li><p>Second</p></li></ul>"
        "<p><strong>Fed</strong> og understreget</p>"
    )


def test_the_writing_language_is_one_switch_remembered_per_person(browser, demo_site):
    base = demo_site.url
    page = new_page(browser)
    log_in(page, base, "officer")
    page.goto(f"{base}/admin/releases/release/add/")
    switch = page.locator(".mt-switch")
    assert (
        switch.get_by_role("button", name=re.compile("Begge")).get_attribute("aria-pressed")
        == "true"
    )
    # Nothing written yet: each button names its language alone.
    assert switch.locator("[data-mode=da] .mt-count").inner_text() == ""
    assert switch.locator("[data-mode=da]").inner_text().strip() == "Dansk"
    # The body editor opens about as tall as the lead box, not one line.
    body = page.locator(".field-body_da [contenteditable].ProseMirror").bounding_box()
    assert body["height"] >= 0.8 * page.locator("#id_lead_da").bounding_box()["height"]
    page.fill("#id_title_da", "Nyt fra Irak")
    page.fill("#id_lead_da", "Kort om det.")
    page.fill("#id_title_en", "News from Iraq")
    # Title, address (made from the title) and lead in Danish; title and address in English.
    assert switch.locator("[data-mode=da] .mt-count").inner_text() == "3 af 3"
    assert switch.locator("[data-mode=en] .mt-count").inner_text() == "2 af 3"
    switch.locator("[data-mode=da]").click()
    for field in ("title", "lead", "dateline"):
        assert page.locator(f"#id_{field}_da").is_visible()
        assert page.locator(f"#id_{field}_en").is_hidden()
    assert page.locator(".field-body_en").is_hidden()
    page.locator("#images-group .add-row a").click()
    assert page.locator("#id_images-0-alt_da").is_visible()
    assert page.locator("#id_images-0-alt_en").is_hidden()

    page.goto(f"{base}/admin/releases/topic/add/")
    assert page.locator("#id_name_en").is_hidden()  # remembered on every form
    page.context.clear_cookies()
    log_in(page, base, "editor")  # another person in the same browser
    page.goto(f"{base}/admin/releases/topic/add/")
    assert page.locator("#id_name_en").is_visible()


def test_leaving_a_changed_form_by_a_link_asks_first(browser, demo_site):
    base = demo_site.url
    page = new_page(browser)
    log_in(page, base, "officer")
    page.goto(f"{base}/admin/releases/release/add/")
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.locator(".breadcrumbs a").first.click()  # nothing typed yet: leaves at once
    page.wait_for_url(f"{base}/admin/")
    assert dialogs == []

    page.goto(f"{base}/admin/releases/release/add/")
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    page.fill("#id_title_da", "Et udkast, der ikke må gå tabt")
    editor_of(page, "body_da").click()
    page.keyboard.type("Brødtekst")
    page.locator(".breadcrumbs a").first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/admin/releases/release/add/")
    assert page.input_value("#id_title_da") == "Et udkast, der ikke må gå tabt"

    page.click("input[name=_continue]")  # saving leaves without a question
    page.wait_for_selector(".messagelist")
    assert dialogs == ["beforeunload"]
    assert Release.objects.filter(title_da="Et udkast, der ikke må gå tabt").exists()


@pytest.mark.parametrize("width", [1280, 320])
def test_a_danish_only_release_survives_an_error_and_goes_to_review_with_nothing_lost(
    browser, demo_site, width
):
    base = demo_site.url
    # The module shares its database: the other width's run left its release behind.
    Release.objects.filter(title_da="Særlig udsending til Mellemøsten").delete()
    page = new_page(browser, width)
    messages = watch_console(page)
    log_in(page, base, "officer")
    page.goto(f"{base}/admin/releases/release/add/")
    page.locator(".mt-switch button[data-mode=da]").click()
    assert our_violations(page, messages) == []

    page.fill("#id_title_da", "Særlig udsending til Mellemøsten")
    assert page.input_value("#id_slug_da") == "saerlig-udsending-til-mellemoesten"
    page.fill("#id_lead_da", "Danmark udpeger en særlig udsending.")
    editor_of(page, "body_da").click()
    page.keyboard.type("Baggrund\nUdsendingen rejser i dag til ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Amman")
    page.keyboard.press("Control+b")
    page.keyboard.type(".")
    select_paragraph(page, "body_da", "Baggrund")
    page.locator(".field-body_da .prose-menubar__selected").click()
    menu(page, "body_da", "heading2").click()

    page.locator("#images-group .add-row a").click()
    page.set_input_files(
        "#id_images-0-image",
        files=[{"name": "amman.jpg", "mimeType": "image/jpeg", "buffer": make_photo(1200, 800)}],
    )
    page.locator("#documents-group .add-row a").click()
    page.set_input_files(
        "#id_documents-0-file",
        files=[{"name": "faktaark.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.fill("#id_documents-0-title_da", "Faktaark")
    page.screenshot(path=f"{SHOTS}/journey-{width}-1-written.png", full_page=True)
    page.click("input[name=_continue]")  # no alternative text: refused

    page.wait_for_selector(".errornote")
    page.screenshot(path=f"{SHOTS}/journey-{width}-2-refused.png", full_page=True)
    assert not Release.objects.filter(title_da="Særlig udsending til Mellemøsten").exists()
    alt_errors = page.locator(".field-alt_da .errorlist")
    assert alt_errors.inner_text() == "Udfyld “alternativ tekst” på mindst ét sprog; ét er nok."
    assert page.locator(".kept-upload", has_text="amman.jpg").is_visible()
    assert page.locator(".kept-upload", has_text="faktaark.pdf").is_visible()
    assert page.input_value("#id_title_da") == "Særlig udsending til Mellemøsten"
    assert page.input_value("#id_documents-0-title_da") == "Faktaark"
    body = editor_of(page, "body_da").inner_html()
    assert "<h2>Baggrund</h2>" in body and "<strong>Amman" in body
    assert our_violations(page, messages) == []
    assert django_violations(page, messages) == set()

    page.fill("#id_images-0-alt_da", "Udsendingen i Amman")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    release = Release.objects.get(title_da="Særlig udsending til Mellemøsten")
    assert not release.title_en
    assert release.slug_da == "saerlig-udsending-til-mellemoesten"
    assert release.body_da == (
        "<h2>Baggrund</h2><p>Udsendingen rejser i dag til <strong>Amman</strong>.</p>"
    )
    image = release.images.get()
    assert (image.alt_da, image.width) == ("Udsendingen i Amman", 1200)
    assert release.documents.get().title_da == "Faktaark"

    page.get_by_role("button", name="Send til godkendelse").click()
    page.wait_for_selector(".messagelist .success")
    page.screenshot(path=f"{SHOTS}/journey-{width}-3-submitted.png", full_page=True)
    release.refresh_from_db()
    assert release.status == Status.SUBMITTED
    # No script error and no refusal by the Content-Security-Policy on any page so far.
    assert our_violations(page, messages) == []

    release.publish(by=user("editor"))
    reader = new_page(browser, width)
    reader.goto(f"{base}{release.get_absolute_url()}")
    reader.screenshot(path=f"{SHOTS}/journey-{width}-4-public.png", full_page=True)
    assert reader.locator("h1").inner_text() == "Særlig udsending til Mellemøsten"
    assert reader.locator(".body").inner_html() == release.body_da
    assert reader.locator("figure img").first.get_attribute("alt") == "Udsendingen i Amman"
    assert reader.get_by_role("link", name=re.compile("Faktaark")).count() == 1


def test_a_closed_tab_loses_nothing_typed_the_form_is_offered_back(browser, demo_site):
    from core.models import AutosavedForm

    base = demo_site.url
    page = new_page(browser)
    messages = watch_console(page)
    log_in(page, base, "officer")
    page.goto(f"{base}/admin/releases/release/add/")
    page.fill("#id_title_da", "Et udkast, der overlever")
    page.fill("#id_lead_da", "Fanen lukkes uden at gemme.")
    editor_of(page, "body_da").click()
    page.keyboard.type("Brødtekst, der ")
    page.keyboard.press("Control+b")
    page.keyboard.type("ikke må gå tabt")
    page.locator("#images-group .add-row a").click()
    page.fill("#id_images-0-alt_da", "Billedtekst til et billede, der ikke er valgt endnu")
    page.wait_for_selector(".autosave-status:has-text('bevaret på serveren')")
    assert messages == []
    page.context.close()  # the tab, the browser and the session are gone

    kept = AutosavedForm.objects.get()
    assert ["title_da", "Et udkast, der overlever"] in kept.fields

    page = new_page(browser)
    messages = watch_console(page)
    log_in(page, base, "officer")
    page.goto(f"{base}/admin/releases/release/add/")
    notice = page.locator(".autosave-notice")
    assert (
        notice.locator("p")
        .inner_text()
        .startswith("Tekst, du ikke havde gemt i denne formular (fra kl. ")
    )
    assert page.input_value("#id_title_da") == ""  # nothing comes back unasked
    notice.get_by_role("button", name="Gendan den").click()
    assert page.input_value("#id_title_da") == "Et udkast, der overlever"
    assert page.input_value("#id_lead_da") == "Fanen lukkes uden at gemme."
    assert "<strong>ikke må gå tabt</strong>" in editor_of(page, "body_da").inner_html()
    assert page.input_value("#id_images-0-alt_da") == (
        "Billedtekst til et billede, der ikke er valgt endnu"
    )
    page.locator("#images-group .inline-deletelink").first.click()  # no file chosen: drop it
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    release = Release.objects.get(title_da="Et udkast, der overlever")
    assert release.body_da == "<p>Brødtekst, der <strong>ikke må gå tabt</strong></p>"
    assert AutosavedForm.objects.count() == 0
    assert our_violations(page, messages) == []
