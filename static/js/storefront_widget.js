// The shop's assistant, embeddable in any storefront: <script src=".../storefront_widget.js" data-key="pk_…"
// data-api="https://studio.example/api/storefront/v1/" data-sku="SKU-OF-THE-PAGE" data-mount="#optional-place"
// data-shopper-token="(signed by the shop's server for a signed-in shopper; optional)" data-lang="zh"></script>.
// It speaks the shop's language: data-lang, else the page's <html lang>; English or Chinese. One file, no
// dependencies; text is set as text, never as HTML. The conversation is kept by its token in localStorage, and
// so is the anonymous shopper token the studio issues with the first view, when the shop signed none.
(function () {
  const script = document.currentScript;
  const key = script.dataset.key, api = script.dataset.api, sku = script.dataset.sku || "";
  const stored = "retail-studio-conversation:" + key, storedShopper = "retail-studio-shopper:" + key;
  let token = localStorage.getItem(stored);
  let shopperToken = script.dataset.shopperToken || localStorage.getItem(storedShopper) || "";
  let polling = null;

  // The widget's own small catalog: a shop's page does not load the dashboard's. Written in ASCII escapes, so a
  // shop's page in any encoding reads them right.
  const WORDS = {
    en: {
      placeholder: "Ask about this product, returns, shipping\u2026", send: "Send", heading: "Ask the shop", open: "Ask us",
      sources: "Sources", colleague: "A colleague will reply here.", failed: "The assistant answered {status}.",
    },
    // zh: 问问这件商品、退货、配送…… · 发送 · 咨询本店 · 咨询我们 · 来源 · 同事会在这里回复您。 · 助手返回了 {status}。
    zh: {
      placeholder: "\u95ee\u95ee\u8fd9\u4ef6\u5546\u54c1\u3001\u9000\u8d27\u3001\u914d\u9001\u2026\u2026", send: "\u53d1\u9001", heading: "\u54a8\u8be2\u672c\u5e97", open: "\u54a8\u8be2\u6211\u4eec",
      sources: "\u6765\u6e90", colleague: "\u540c\u4e8b\u4f1a\u5728\u8fd9\u91cc\u56de\u590d\u60a8\u3002", failed: "\u52a9\u624b\u8fd4\u56de\u4e86 {status}\u3002",
    },
  };
  const lang = (script.dataset.lang || document.documentElement.lang || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
  const say = (word, status = "") => WORDS[lang][word].replace("{status}", status);

  const el = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };
  const log = el("ol", { className: "rs-log", id: "rs-log" });
  const input = el("textarea", { id: "rs-question", rows: 2, maxLength: 1000, placeholder: say("placeholder") });
  const status = el("p", { className: "rs-status", id: "rs-status" });
  const send = el("button", { type: "submit", id: "rs-send", textContent: say("send") });
  const form = el("form", { className: "rs-form" }, input, send);
  const panel = el("section", { className: "rs-panel", id: "rs-panel", hidden: true, lang },
    el("header", { textContent: say("heading") }), log, status, form);
  const toggle = el("button", { className: "rs-toggle", id: "rs-open", type: "button", textContent: say("open") });
  toggle.addEventListener("click", () => { panel.hidden = !panel.hidden; if (!panel.hidden) input.focus(); });
  // data-mount="#where": the panel sits in the page there, open, beside the shop's text (no floating button).
  const mount = script.dataset.mount && document.querySelector(script.dataset.mount);
  if (mount) {
    panel.hidden = false;
    panel.classList.add("rs-embedded");
    mount.append(panel);
  } else {
    document.body.append(panel, toggle);
  }

  function source(citation) {
    if (citation.source === "article") return el("li", {}, el("strong", { textContent: citation.title + ": " }), "\u201c" + citation.quote + "\u201d");
    return el("li", { textContent: `${citation.field}: ${citation.value} (${citation.sku})` });
  }

  function render(conversation) {
    log.replaceChildren(...conversation.messages.map((message) => {
      const item = el("li", { className: `rs-message rs-${message.role}${message.pending ? " rs-pending" : ""}` },
        el("p", { className: "rs-text", textContent: message.text, lang: conversation.language }));
      if (message.products.length) {
        item.append(el("ul", { className: "rs-cards" }, ...message.products.map((card) =>
          el("li", {}, el("a", { href: card.url, textContent: card.title }), el("span", { textContent: card.category })))));
      }
      if (message.citations.length) {
        item.append(el("details", { className: "rs-sources" }, el("summary", { textContent: say("sources") }),
          el("ul", {}, ...message.citations.map(source))));
      }
      return item;
    }));
    log.scrollTop = log.scrollHeight;
    const waiting = conversation.messages.some((m) => m.pending) || conversation.waiting_for_a_person;
    status.textContent = conversation.waiting_for_a_person ? say("colleague") : "";
    clearInterval(polling);
    if (waiting) polling = setInterval(refresh, 3000);
  }

  async function call(path, options = {}, retried = false) {
    const headers = { "Content-Type": "application/json", "X-Storefront-Key": key };
    if (shopperToken) headers["X-Shopper-Token"] = shopperToken;
    const response = await fetch(api + path, { ...options, headers });
    const body = await response.json().catch(() => ({}));
    if (response.status === 401 && shopperToken && !script.dataset.shopperToken && !retried) {
      shopperToken = "";  // the studio's anonymous token expired: go on as a new anonymous shopper
      localStorage.removeItem(storedShopper);
      return call(path, options, true);
    }
    if (!response.ok) throw new Error(body.detail || (body.question || [])[0] || say("failed", response.status));
    return body;
  }

  async function refresh() {
    if (!token) return;
    try { render(await call(`conversations/${token}/`)); } catch (error) { status.textContent = error.message; }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question) return;
    send.disabled = true;
    status.textContent = "\u2026";
    try {
      const conversation = await call(token ? `conversations/${token}/ask/` : "ask/",
        { method: "POST", body: JSON.stringify({ question, sku }) });
      token = conversation.token;
      localStorage.setItem(stored, token);
      input.value = "";
      render(conversation);
    } catch (error) {
      status.textContent = error.message;
    } finally {
      send.disabled = false;
    }
  });
  async function viewed() {
    if (!sku) return;
    try {
      const stored = await call("events/", { method: "POST", body: JSON.stringify({ events: [{ sku, event: "view" }] }) });
      if (stored.shopper_token) {
        shopperToken = stored.shopper_token;
        localStorage.setItem(storedShopper, shopperToken);
      }
    } catch (error) { /* a view not counted is no reason to bother the shopper */ }
  }

  viewed().then(refresh);
})();
