"""In Chromium, under zh-hans: a person switches the dashboard to Chinese, imports products, starts a training
job, reviews what was generated and answers a shopper, and reads no English but the shop's own words on the way,
the scripts' text included; the storefront widget speaks the shop page's language. Screenshots go to
$STUDIO_SCREENSHOTS (or the test's own folder)."""

import os
from pathlib import Path

import pytest
from django.templatetags.static import static

from catalog.models import Category, Product
from generation.models import GeneratedItem, TrainingJob
from generation.storefront.models import AssistantMessage
from generation.storefront.services import conversation_ask, storefront_key_create
from tests.browser import log_in
from tests.factories import PASSWORD, make_generated_items
from tests.languages import english_runs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
CSV = "sku,title,category,colour\nZH-1,Linen Shirt,Shirt,navy\nZH-2,Canvas Tote,Bag,cream\n"


def screenshots(tmp_path) -> Path:
    folder = Path(os.environ.get("STUDIO_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def chinese_throughout(page, *data: str) -> None:
    """The page as it is now, scripts' text and all, says nothing in English but data."""
    shown = {*Product.objects.values_list("title", flat=True), *Category.objects.values_list("name", flat=True)}
    assert english_runs(page.content(), shown | set(data)) == [], (
        page.url,
        english_runs(page.content(), shown | set(data)),
    )


def test_a_merchandiser_works_in_chinese_from_import_to_a_shoppers_answer(
    browser_page, live_server, admin_user_role, tmp_path
):
    shots, page = screenshots(tmp_path), browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, admin_user_role.username, PASSWORD, "/")
    page.click("form.language button[value=zh-hans]")  # the top bar's switcher
    page.wait_for_selector("nav >> text=商品目录")

    page.goto(f"{live_server.url}/import/")
    page.set_input_files("input[name=csv_file]", {"name": "shop.csv", "mimeType": "text/csv", "buffer": CSV.encode()})
    page.wait_for_selector("#preview-summary:has-text('2 个商品')")  # the preview, drawn by the page's script
    chinese_throughout(page, "colour", "sku", "title", "category", "navy", "cream", "Linen Shirt", "Canvas Tote")
    page.screenshot(path=shots / "2-import-preview.png", full_page=True)
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#report h2:has-text('已导入 2 个商品')")
    assert Product.objects.filter(sku__in=["ZH-1", "ZH-2"]).count() == 2
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("text=2 件商品")
    chinese_throughout(page, "ZH-1", "ZH-2")
    page.screenshot(path=shots / "1-catalog.png", full_page=True)

    page.goto(f"{live_server.url}/jobs/new/")
    page.fill("input[name=name]", "zh-demo")
    page.get_by_label("Shirt", exact=True).check()
    page.fill("input[name=minutes]", "")
    page.fill("input[name=steps]", "10")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#job-status:has-text('排队中')")  # no worker here: it waits, and the page says so
    job = TrainingJob.objects.get(name="zh-demo")
    assert job.dashboard_language == "zh-hans"
    chinese_throughout(page, "zh-demo", "CPU", "GAN")
    page.screenshot(path=shots / "3-training-job.png", full_page=True)

    first, second = make_generated_items(2, category="Shirt")
    page.goto(f"{live_server.url}/review/")
    page.wait_for_selector("#current-caption")
    page.keyboard.press("a")
    page.wait_for_selector(f"#review-message:has-text('#{first.pk} 已通过')")
    chinese_throughout(page, "A", "R", "U")
    page.screenshot(path=shots / "4-review.png", full_page=True)
    first.refresh_from_db()
    assert first.review_state == GeneratedItem.ReviewState.APPROVED

    storefront = storefront_key_create(name="Shop", any_origin=True)
    conversation, _, _ = conversation_ask(storefront=storefront, text="Where is my order 1234?")
    page.goto(f"{live_server.url}/assistant/inbox/{conversation.pk}/")
    page.click("#take-over")
    page.fill("textarea[name=text]", "您的订单已在路上。")
    page.click("#reply-form button[type=submit]")
    page.wait_for_selector("li.message.staff >> text=您的订单已在路上。")
    said = set(AssistantMessage.objects.filter(conversation=conversation).values_list("text", flat=True))
    chinese_throughout(page, "Shop", *said)
    page.screenshot(path=shots / "5-shopper-answered.png", full_page=True)


def test_the_storefront_widget_speaks_the_shop_pages_language(browser_page, live_server, tmp_path):
    key = storefront_key_create(name="Shop", any_origin=True)
    script = (
        f'<script src="{live_server.url}{static("js/storefront_widget.js")}" data-key="{key.key}" {{extra}}'
        f'data-api="{live_server.url}/api/storefront/v1/"></script>'
    )

    def shop_page(lang: str, extra: str = "") -> None:
        """A shop's page with the widget's script tag in it (served beside the studio: Chromium keeps a page on
        another origin from loading a script from this test's loopback server)."""
        style = f'<link rel="stylesheet" href="{live_server.url}{static("css/storefront_widget.css")}">'
        html = (
            f'<!doctype html><html lang="{lang}"><head>{style}</head><body>{script.format(extra=extra)}</body></html>'
        )
        page_url = f"{live_server.url}/a-shops-page/"
        browser_page.route(page_url, lambda route: route.fulfill(body=html, content_type="text/html"))
        browser_page.goto(page_url)
        browser_page.wait_for_selector("#rs-open")

    for lang, heading, button, placeholder in (
        ("zh-CN", "咨询本店", "发送", "问问这件商品、退货、配送……"),
        ("en", "Ask the shop", "Send", "Ask about this product, returns, shipping…"),
    ):
        shop_page(lang)
        assert browser_page.locator("#rs-panel header").inner_text() == heading
        assert browser_page.locator("#rs-send").inner_text() == button
        assert browser_page.locator("#rs-question").get_attribute("placeholder") == placeholder
    shop_page("en", extra='data-lang="zh" ')  # the shop's data-lang wins over its page's lang
    assert browser_page.locator("#rs-open").inner_text() == "咨询我们"
    browser_page.click("#rs-open")
    browser_page.screenshot(path=screenshots(tmp_path) / "6-widget.png")
