"""The one way tests and benchmarks start a browser: Debian's Chromium, headless (Playwright cannot download one).
Pages run under the studio's Content-Security-Policy, so `page.wait_for_function` takes a function ("() => …"):
an expression would be eval'd in the page, which the policy refuses."""

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)


def log_in(page, base: str, username: str, password: str, next_path: str = "/") -> None:
    """Through the login form, as a person does, landing on `next_path`."""
    from urllib.parse import quote

    page.goto(f"{base}/login/?next={quote(next_path)}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
