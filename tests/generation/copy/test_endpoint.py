"""The endpoint copywriter against a local HTTP server the test starts: never the internet."""

import pytest

from generation.copy.endpoint import ChatEndpoint, CopyBackendError, chat_messages
from generation.copy.planning import CopyPlan, Fact
from tests.generation.conftest import CHAT_TEXTS

PLAN = CopyPlan("Sneaker", (Fact("colour", "black"), Fact("season", "cold weather")))
MESSAGES = chat_messages(
    kind="title", plan=PLAN, style="plain", style_brief="plain and clear", language="en", limit=70,
    keywords=["leather"], banned=["cheap"],
)  # fmt: skip


def endpoint(server, **options) -> ChatEndpoint:
    return ChatEndpoint(base_url=server.url, model="local-model", api_key="k-123", backoff=0.01, **options)


def test_success_returns_the_texts_and_sends_the_brief(chat_server):
    assert endpoint(chat_server).complete(MESSAGES, count=2, seed=5) == list(CHAT_TEXTS[:2])  # quotes stripped
    request = chat_server.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer k-123"
    assert request["body"]["model"] == "local-model" and request["body"]["n"] == 2 and request["body"]["seed"] == 5
    assert "Never use: cheap" in request["body"]["messages"][1]["content"]
    assert "At most 70 characters" in request["body"]["messages"][0]["content"]
    brief = request["body"]["messages"][1]["content"]
    assert "colour: black" in brief and "season: cold weather (why it matters: warmth)" in brief
    assert brief.index("colour") < brief.index("season")  # the plan's order


def test_the_brief_names_the_language_style_and_limit_in_that_language():
    system, user = chat_messages(
        kind="ad_headline", plan=PLAN, style="premium", style_brief="refined and calm", language="zh", limit=15,
        keywords=[], banned=[],
    )  # fmt: skip
    assert "in Simplified Chinese only" in system["content"] and "premium: refined and calm" in system["content"]
    assert "At most 15 characters, counted in Simplified Chinese" in system["content"]


def test_a_server_that_ignores_n_is_asked_again(chat_server):
    chat_server.mode = "single"
    assert len(endpoint(chat_server).complete(MESSAGES, count=3)) == 3 and len(chat_server.requests) == 3


def test_a_timeout_is_retried_then_a_clear_error(chat_server):
    chat_server.mode = "slow"
    with pytest.raises(CopyBackendError, match=r"could not be reached .*after 3 attempt"):
        endpoint(chat_server, timeout=0.2, retries=2).complete(MESSAGES, count=1)
    assert len(chat_server.requests) == 3


def test_a_500_is_retried_then_a_clear_error(chat_server):
    chat_server.mode = "error"
    with pytest.raises(CopyBackendError, match=r"answered HTTP 500: boom, after 2 attempt"):
        endpoint(chat_server, retries=1).complete(MESSAGES, count=1)
    assert len(chat_server.requests) == 2


@pytest.mark.parametrize(("mode", "message"), [("garbage", "not JSON"), ("odd", "not a chat completion")])
def test_malformed_answers_are_a_clear_error_without_retrying(chat_server, mode, message):
    chat_server.mode = mode
    with pytest.raises(CopyBackendError, match=message):
        endpoint(chat_server).complete(MESSAGES, count=1)
    assert len(chat_server.requests) == 1


def test_an_unreachable_endpoint_is_a_clear_error():
    unreachable = ChatEndpoint(base_url="http://127.0.0.1:9/v1", model="m", timeout=0.5, retries=0)
    with pytest.raises(CopyBackendError, match="could not be reached"):
        unreachable.complete(MESSAGES, count=1)
