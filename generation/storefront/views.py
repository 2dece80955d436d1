"""The staff's pages of the shopper-facing half: the store's articles (list, edit with a preview, publish,
history), the inbox (conversations, their answers with citations, confidence and action; take over and reply
by hand), the gaps, and the demo storefront anyone can try."""

import base64

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog import roles
from catalog.models import Category, Product
from catalog.selectors import photos_prefetch
from catalog.services.demo_fashion import SKU_PREFIX as FASHION_SKU_PREFIX
from generation.assistant.articles import Article, passages_of
from generation.recommendations.serving import product_row_cards
from generation.recommender.rules import COMPLETE_THE_LOOK, SIMILAR
from generation.storefront import selectors, services
from generation.storefront.forms import ArticleForm, ReplyForm
from generation.storefront.models import Conversation, StoreArticle
from retail_studio.errors import StudioError


@require_GET
def article_list(request):
    return render(
        request, "storefront/article_list.html", {"articles": StoreArticle.objects.order_by("language", "slug")}
    )


@require_http_methods(["GET", "POST"])
def article_edit(request, slug: str | None = None):
    """Every role reads an article (reviewers follow the inbox's citations here); merchandisers write them."""
    if (request.method == "POST" or slug is None) and not roles.user_has_role(request.user, roles.MERCHANDISER):
        raise PermissionDenied(f"Writing the store's articles needs the {roles.MERCHANDISER} role.")
    article = get_object_or_404(StoreArticle, slug=slug) if slug else None
    initial = {"slug": article.slug, "title": article.title, "language": article.language, "body": article.body,
               "published": article.published} if article else {}  # fmt: skip
    form = ArticleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.article_save(
                article=article, slug=article.slug if article else data["slug"], title=data["title"],
                body=data["body"], language=data["language"], published=data["published"], user=request.user,
            )  # fmt: skip
        except StudioError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("storefront:article_edit", slug=saved.slug)
    preview = []
    if article:
        preview = [p.text for p in passages_of(Article(article.slug, article.title, article.language, article.body))]
    return render(request, "storefront/article_form.html", {
        "form": form, "article": article, "preview": preview,
        "history": article.revisions.select_related("made_by")[:20] if article else [],
    }, status=400 if form.errors else 200)  # fmt: skip


@require_POST
@roles.role_required(roles.MERCHANDISER)
def article_publish(request, slug: str):
    article = get_object_or_404(StoreArticle, slug=slug)
    services.article_publish(article=article, published=request.POST.get("published") == "1", user=request.user)
    return redirect("storefront:article_edit", slug=slug)


@require_GET
def inbox(request):
    status = request.GET.get("status", "")
    if status not in Conversation.Status.values:
        status = ""
    figures = selectors.assistant_figures()
    return render(request, "storefront/inbox.html", {
        "conversations": selectors.inbox_conversations(status=status), "status": status,
        "statuses": Conversation.Status.choices, "figures": figures,
    })  # fmt: skip


@require_GET
def conversation_detail(request, conversation_id: int):
    conversation = get_object_or_404(Conversation, pk=conversation_id)
    return render(request, "storefront/conversation.html", {
        "conversation": selectors.conversation_with_messages(conversation_id=conversation.pk), "form": ReplyForm(),
    })  # fmt: skip


@require_POST
@roles.role_required(roles.REVIEWER)
def conversation_take_over(request, conversation_id: int):
    conversation = get_object_or_404(Conversation, pk=conversation_id)
    try:
        services.conversation_take_over(conversation=conversation, user=request.user)
    except StudioError as exc:
        return render(request, "storefront/conversation.html", {
            "conversation": selectors.conversation_with_messages(conversation_id=conversation.pk),
            "form": ReplyForm(), "error": str(exc),
        }, status=409)  # fmt: skip
    return redirect("storefront:conversation", conversation_id=conversation.pk)


@require_POST
@roles.role_required(roles.REVIEWER)
def conversation_reply(request, conversation_id: int):
    conversation = get_object_or_404(Conversation, pk=conversation_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.conversation_reply(
                conversation=conversation, text=form.cleaned_data["text"], user=request.user,
                hand_back=form.cleaned_data["hand_back"],
            )  # fmt: skip
        except StudioError as exc:
            form.add_error(None, str(exc))
    if form.errors:
        return render(request, "storefront/conversation.html", {
            "conversation": selectors.conversation_with_messages(conversation_id=conversation.pk), "form": form,
        }, status=400)  # fmt: skip
    return redirect("storefront:conversation", conversation_id=conversation.pk)


@require_GET
def gaps(request):
    return render(request, "storefront/gaps.html", {"gaps": selectors.assistant_gaps()})


DEMO_PHOTO_MAX_BYTES = 256 * 1024
DEMO_PICKS, DEMO_ROW = 24, 6
DEMO_FACTS = ("brand", "gender", "colour", "pattern", "usage", "season", "tone", "surface")


def _photo_data_url(image) -> str:
    if image is None:
        return ""
    try:
        if image.file.size > DEMO_PHOTO_MAX_BYTES:
            return ""
        with image.file.open("rb") as handle:
            data = handle.read()
    except OSError:  # its file is gone from the media: the page shows the product without it
        return ""
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg" if data.startswith(b"\xff\xd8") else "webp"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def product_photo_data_url(product: Product | None) -> str:
    """The product's first photo inline: the demo page is public, media is behind the login."""
    return _photo_data_url(product.images.order_by("position", "id").first() if product else None)


def _demo_row(product: Product, placement: str) -> list[dict]:
    """A product's row as the shop shows it under its photo: each card with its photo inline."""
    cards = product_row_cards(product, placement=placement, k=DEMO_ROW)
    shown = Product.objects.prefetch_related(photos_prefetch()).in_bulk([card.id for card in cards])
    return [{"card": card, "photo": _photo_data_url(next(iter(shown[card.id].photos), None))} for card in cards]


def _demo_picks(products, query: str) -> list[Product]:
    """What the picker offers: the products whose title holds the query, else a few of each large category."""
    if query:
        return list(products.filter(title__icontains=query).order_by("id")[:DEMO_PICKS])
    largest = Category.objects.annotate(shown=Count("products")).order_by("-shown", "name")[:8]
    picks = []
    for category in largest:
        picks += products.filter(category=category).order_by("id")[: DEMO_PICKS // 8]
    return picks


@login_not_required
@require_GET
def demo_storefront(request):
    """A shop's product page with the assistant's widget beside it, served by the studio so anyone can try it,
    in demo mode only (STUDIO_DEMO): a deployment has no public page. A picker chooses the product; its similar
    items and its look are under the photo. It uses the demo storefront key, made on the first visit for the
    studio's own origin (draft mode: a reviewer approves each answer); once an admin revokes that key the page
    says so and holds no widget."""
    if not settings.STUDIO_DEMO:
        raise Http404("The demo storefront is on in demo mode only.")
    sku, query = request.GET.get("sku", ""), request.GET.get("q", "").strip()[:100]
    products = Product.objects.filter(status=Product.Status.ACTIVE).select_related("category")
    product = products.filter(sku=sku).first() if sku else products.order_by("id").first()
    key = services.demo_storefront_key(origin=f"{request.scheme}://{request.get_host()}")
    facts = [(name, product.attributes[name]) for name in DEMO_FACTS if product and product.attributes.get(name)]
    return render(request, "storefront/demo.html", {
        "key": key, "product": product, "photo": product_photo_data_url(product), "facts": facts, "query": query,
        "picks": _demo_picks(products, query),
        "similar": _demo_row(product, SIMILAR) if product else [],
        "look": _demo_row(product, COMPLETE_THE_LOOK) if product else [],
        "fashion_shop": product is not None and product.sku.startswith(FASHION_SKU_PREFIX),
    })  # fmt: skip
