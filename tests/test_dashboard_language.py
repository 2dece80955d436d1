"""The dashboard speaks English or Simplified Chinese: the browser's language before anyone chooses, then the
person's own choice, kept on them from session to session; the catalogs are complete and compiled."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from catalog.models import AccountSettings
from catalog.services.account import dashboard_language_set
from catalog.services.api_tokens import api_token_renew
from generation.models import TrainingJob
from generation.services.job_lifecycle import job_language, phase_said
from tests.factories import PASSWORD, make_product
from tests.languages import english_runs

pytestmark = pytest.mark.django_db
CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def nav(client: Client, **headers) -> str:
    page = client.get("/", **headers).content.decode()
    return page[page.index("<nav>") : page.index("</nav>")]


def test_the_browsers_language_until_the_person_chooses_then_theirs_in_every_session(merchandiser):
    client = Client()
    client.force_login(merchandiser)
    assert "Catalog" in nav(client)
    chinese = nav(client, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert "商品目录" in chinese and "发布" in chinese and "Catalog" not in chinese
    assert '<html lang="zh-hans">' in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    answer = client.post("/account/language/", {"language": "zh-hans", "next": "/jobs/"})
    assert answer.status_code == 302 and answer["Location"] == "/jobs/"
    assert AccountSettings.objects.get(user=merchandiser).dashboard_language == "zh-hans"
    assert "商品目录" in nav(client, HTTP_ACCEPT_LANGUAGE="en")  # the choice beats the browser

    elsewhere = Client()  # another browser: logging in there brings the person's choice
    elsewhere.post("/login/", {"username": merchandiser.username, "password": PASSWORD})
    assert "商品目录" in nav(elsewhere, HTTP_ACCEPT_LANGUAGE="en-US")
    elsewhere.post("/account/language/", {"language": "en", "next": "https://evil.example.com/"})
    assert "Catalog" in nav(elsewhere, HTTP_ACCEPT_LANGUAGE="zh-CN")


def test_a_language_the_dashboard_does_not_speak_changes_nothing(merch_client, merchandiser):
    answer = merch_client.post("/account/language/", {"language": "fr", "next": "/"}, follow=True)
    assert "The dashboard speaks en, zh-hans; not “fr”." in answer.content.decode()
    assert not AccountSettings.objects.filter(user=merchandiser).exists()


def _joined(lines: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', lines)).replace('\\"', '"')


def entries(po: str) -> list[tuple[str, str, str, bool]]:
    """(msgid, msgid_plural, msgstr or msgstr[0], fuzzy) of every entry but the header."""
    found = []
    for block in po.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.MULTILINE)
        if not msgid or not _joined(msgid.group(1)):
            continue
        plural = re.search(r'^msgid_plural ((?:".*"\n?)+)', block, re.MULTILINE)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.MULTILINE)
        found.append(
            (
                _joined(msgid.group(1)),
                _joined(plural.group(1)) if plural else "",
                _joined(msgstr.group(1)),
                "#, fuzzy" in block or ", fuzzy" in block,
            )
        )
    return found


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_chinese_catalogs_are_complete_and_compiled(domain):
    found = entries((CATALOG / f"{domain}.po").read_text(encoding="utf-8"))
    assert found
    assert [msgid for msgid, _plural, msgstr, fuzzy in found if not msgstr or fuzzy] == []
    with (CATALOG / f"{domain}.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for msgid, plural, msgstr, _fuzzy in found
        if (compiled.ngettext(msgid, plural, 1) if plural else compiled.gettext(msgid)) != msgstr
    ]
    assert stale == [], "run `make messages`: the .mo is older than its .po"


def test_the_job_pages_speak_chinese_throughout(merchandiser):
    dress = make_product(category="Dress", sku="DR-1")
    job = TrainingJob.objects.create(name="demo", budget_minutes=5, status="failed", phase="")
    job.categories.set([dress.category])
    client = Client()
    client.force_login(merchandiser)
    client.post("/account/language/", {"language": "zh-hans", "next": "/"})
    data = {"Dress", "demo", merchandiser.username, "GAN", "VAE", "KL", "FD", "CPU", "CUDA", "recall@10"}
    for path in ("/jobs/", "/jobs/new/", f"/jobs/{job.pk}/"):
        page = client.get(path)
        assert page.status_code == 200
        assert english_runs(page.content.decode(), data) == [], path
    script = Client(HTTP_ACCEPT_LANGUAGE="zh-CN").get("/jsi18n/").content.decode()
    assert "\\u9001\\u5ba1" in script or "送审" in script  # "send to review", for the job page's script


def test_the_apis_answers_speak_the_callers_language(merchandiser):
    """DRF's own messages and the studio's, in the browser's language for a session, and in the token's owner's
    chosen language for a script."""
    session = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    session.force_login(merchandiser)
    answer = session.post("/api/v1/training-jobs/", {}, content_type="application/json").json()
    assert answer["name"] == ["该字段是必填项。"]

    token = api_token_renew(user=merchandiser).key
    script = Client(HTTP_AUTHORIZATION=f"Token {token}")
    body = {"kind": "poem", "products": [make_product(sku="API-1").pk]}
    assert (
        "Pick a kind of copy"
        in script.post("/api/v1/copy-jobs/", body, content_type="application/json").json()["detail"]
    )
    dashboard_language_set(user=merchandiser, language="zh-hans")
    refused = script.post("/api/v1/copy-jobs/", body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["detail"].startswith("请选择文案类型")
    assert Client(HTTP_ACCEPT_LANGUAGE="zh-CN").get("/api/v1/nothing/").json()["detail"] == "没有这个接口或对象。"


def test_a_job_says_what_it_is_doing_in_the_language_of_whoever_asked(merchandiser):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(merchandiser)
    dress = make_product(category="Dress", sku="DR-2")
    answer = client.post(
        "/jobs/new/",
        {"name": "zh", "family": "image", "categories": [dress.category_id], "steps": 10, "device": "auto"},
    )
    assert answer.status_code == 302, answer.content.decode()[-2000:]
    job = TrainingJob.objects.get(name="zh")
    assert job.dashboard_language == "zh-hans"
    with job_language(job):
        assert phase_said("measuring the new version: sampling 1,200 images") == "测量新版本：采样 1,200 张图片"
        assert phase_said("a step nobody translated") == "a step nobody translated"
    with translation.override("en"):
        assert phase_said("measuring the new version: classifying the samples") == (
            "measuring the new version: classifying the samples"
        )


def test_the_account_page_keeps_the_choice_and_can_hand_it_back_to_the_browser(merch_client, merchandiser):
    page = merch_client.get("/account/api-token/").content.decode()
    assert '<option value="">as my browser asks</option>' in page and " selected" not in page  # none chosen yet
    assert 'value="zh-hans" lang="zh-hans">简体中文' in page
    merch_client.post("/account/language/", {"language": "zh-hans", "next": "/account/api-token/"})
    assert 'value="zh-hans" lang="zh-hans" selected' in merch_client.get("/account/api-token/").content.decode()
    answer = merch_client.post("/account/language/", {"language": "", "next": "/account/api-token/"})
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # the cookie goes: the browser decides again
    assert AccountSettings.objects.get(user=merchandiser).dashboard_language == ""
    assert "界面语言" not in merch_client.get("/account/api-token/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
