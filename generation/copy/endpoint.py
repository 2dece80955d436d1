"""The second copywriter: any OpenAI-compatible chat-completions endpoint (a local llama.cpp, Ollama or vLLM
server, or a hosted one). Plain Python: timeouts, retries with backoff, and one clear error when the endpoint
cannot be reached or answers something that is not a chat completion."""

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from generation.copy.planning import CopyPlan

RETRY_STATUSES = {408, 409, 429, 500, 502, 503, 504}


class CopyBackendError(Exception):
    """The endpoint failed; the message says how, for the job's page."""


LANGUAGE_NAMES = {"en": "English", "zh": "Simplified Chinese"}


def chat_messages(
    *, kind: str, plan: CopyPlan, style: str, style_brief: str, language: str, limit: int, keywords: list[str],
    banned: list[str],
) -> list[dict]:  # fmt: skip
    """The request, said as plainly as a merchandiser would brief a copywriter: the plan's facts in order, each
    with what it means to a shopper, the style and the language, and the limit in that language's characters."""
    facts = "; ".join(
        f"{fact.field}: {fact.value} (why it matters: {fact.benefit.replace('_', ' ')})" for fact in plan.facts
    )
    rules = [
        f"Write one {kind.replace('_', ' ')} for a product in an online shop, in {LANGUAGE_NAMES[language]} only.",
        f"Style: {style}: {style_brief}. At most {limit} characters, counted in {LANGUAGE_NAMES[language]}.",
        "Say only the facts given, in their order, and what they mean to a shopper: no other colour, material,"
        " audience or kind of product, no numbers, codes, data sets or sources.",
        "Answer with the text alone, no quotes.",
    ]
    brief = [f"Category: {plan.category}.", f"Facts: {facts or 'none beyond the category'}."]
    if keywords:
        brief.append(f"Include: {', '.join(keywords)}.")
    if banned:
        brief.append(f"Never use: {', '.join(banned)}.")
    return [{"role": "system", "content": " ".join(rules)}, {"role": "user", "content": " ".join(brief)}]


@dataclass
class ChatEndpoint:
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 30.0
    retries: int = 2
    backoff: float = 0.5  # seconds before the first retry, doubled after each

    def _post(self, body: dict) -> dict:
        request = urllib.request.Request(
            self.base_url.rstrip("/") + "/chat/completions", data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {self.api_key}"} if self.api_key else {})},
        )  # fmt: skip
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    raw = response.read()
            except urllib.error.HTTPError as exc:
                problem = f"answered HTTP {exc.code}: {exc.read()[:200].decode(errors='replace')}"
                if exc.code not in RETRY_STATUSES:
                    break
                continue
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                problem = f"could not be reached ({reason})"
                continue
            try:
                return json.loads(raw)
            except ValueError:
                raise CopyBackendError(
                    f"The copy endpoint {self.base_url} answered something that is not JSON: {raw[:120]!r}"
                ) from None
        raise CopyBackendError(f"The copy endpoint {self.base_url} {problem}, after {attempt + 1} attempt(s).")

    def complete(self, messages: list[dict], *, count: int, temperature: float = 0.8, seed: int = 0) -> list[str]:
        """`count` texts. Servers that ignore "n" are asked again, with the next seed, until there are enough."""
        texts: list[str] = []
        for request_number in range(count):
            answer = self._post({
                "model": self.model, "messages": messages, "n": count - len(texts), "temperature": temperature,
                "seed": seed + request_number,
            })  # fmt: skip
            try:
                choices = [choice["message"]["content"] for choice in answer["choices"]]
            except (KeyError, TypeError):
                raise CopyBackendError(
                    f"The copy endpoint {self.base_url} answered JSON that is not a chat completion."
                ) from None
            if not choices or not all(isinstance(text, str) for text in choices):
                raise CopyBackendError(f"The copy endpoint {self.base_url} answered no text.")
            texts.extend(text.strip().strip('"').strip() for text in choices)
            if len(texts) >= count:
                break
        return texts[:count]
