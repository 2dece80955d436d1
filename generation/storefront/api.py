"""The storefront API (/api/storefront/v1/): shoppers ask, continue a conversation and read it by its token,
with a publishable storefront key (and, where the shop vouches for a shopper, their shopper token: then only
that token reads the conversation); the views of the shop's server, with its secret key; and the staff API of
the store's articles (/api/v1/).

A storefront serializer names no staff field: a staff reply shows as the shop's, drafts as "a colleague is
checking", and only active products and published articles are ever cited. Every text field is plain text,
never HTML: a page shows it as text."""

from django.conf import settings
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import roles
from catalog.models import Product
from generation.storefront import services
from generation.storefront.auth import (
    KEY_HEADER,
    SHOPPER_HEADER,
    HasShopperToken,
    HasStorefrontKey,
    StorefrontKeyAuthentication,
    StorefrontSecretAuthentication,
    StorefrontThrottle,
)
from generation.storefront.models import AssistantMessage, Conversation, StoreArticle
from retail_studio.errors import StudioError

PENDING_TEXT = {
    "en": "A colleague is checking the answer; it will appear here.",
    "zh": "同事正在核对答案，稍后会显示在这里。",
}


class CitationSerializer(serializers.Serializer):
    """Every text here is plain text (articles are stripped of HTML when saved)."""

    source = serializers.ChoiceField(choices=["product", "article"])
    sku = serializers.CharField(required=False)
    field = serializers.CharField(required=False, help_text="plain text")
    value = serializers.CharField(required=False, help_text="plain text")
    slug = serializers.CharField(required=False)
    title = serializers.CharField(required=False, help_text="plain text")
    quote = serializers.CharField(required=False, help_text="plain text")


class ProductCardSerializer(serializers.Serializer):
    sku = serializers.CharField()
    title = serializers.CharField(help_text="plain text")
    category = serializers.CharField(help_text="plain text")
    url = serializers.CharField()


class ShopperMessageSerializer(serializers.Serializer):
    """A message as the shopper sees it."""

    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=["shopper", "assistant", "shop"])
    pending = serializers.BooleanField(help_text="a colleague is checking this answer")
    handoff = serializers.BooleanField(help_text="a person will reply")
    text = serializers.CharField(help_text="plain text")
    citations = CitationSerializer(many=True)
    products = ProductCardSerializer(many=True)
    created_at = serializers.DateTimeField()


class ConversationSerializer(serializers.Serializer):
    token = serializers.CharField()
    language = serializers.CharField()
    waiting_for_a_person = serializers.BooleanField()
    messages = ShopperMessageSerializer(many=True)


def _public(messages: list[AssistantMessage]) -> tuple[dict[str, Product], dict[str, str]]:
    """What the messages name that is public now, in two queries: active products by SKU, published articles'
    titles by slug."""
    skus = {c["sku"] for m in messages for c in m.citations if c.get("source") == "product"}
    skus |= {sku for m in messages for sku in m.products}
    slugs = {c["slug"] for m in messages for c in m.citations if c.get("source") == "article"}
    products = Product.objects.filter(sku__in=skus, status=Product.Status.ACTIVE).select_related("category")
    titles = StoreArticle.objects.filter(slug__in=slugs, published=True).values_list("slug", "title")
    return {p.sku: p for p in products}, dict(titles)


def _cards(skus: list[str], products: dict[str, Product]) -> list[dict]:
    url = settings.STOREFRONT_PRODUCT_URL
    return [
        {"sku": s, "title": products[s].title, "category": products[s].category.name, "url": url.format(sku=s)}
        for s in skus
        if s in products
    ]


def _citations(citations: list[dict], products: dict[str, Product], titles: dict[str, str]) -> list[dict]:
    """Only what is public now: an article still published (with its title), a product still active."""
    shown = []
    for citation in citations:
        if citation.get("source") == "article" and citation["slug"] in titles:
            shown.append(citation | {"title": titles[citation["slug"]]})
        elif citation.get("source") == "product" and citation["sku"] in products:
            shown.append(citation)
    return shown


def conversation_for_shopper(conversation: Conversation) -> dict:
    messages = list(conversation.messages.exclude(state=AssistantMessage.State.REJECTED).order_by("id"))
    products, titles = _public(messages)
    shown = []
    for message in messages:
        pending = message.state == AssistantMessage.State.DRAFT
        shown.append({
            "id": message.pk, "role": "shop" if message.role == AssistantMessage.Role.STAFF else message.role,
            "pending": pending, "handoff": message.action == "handoff",
            "text": PENDING_TEXT.get(conversation.language, PENDING_TEXT["en"]) if pending else message.text,
            "citations": [] if pending else _citations(message.citations, products, titles),
            "products": [] if pending else _cards(message.products, products), "created_at": message.created_at,
        })  # fmt: skip
    waiting = conversation.status != Conversation.Status.OPEN
    return {"token": conversation.token, "language": conversation.language, "waiting_for_a_person": waiting,
            "messages": shown}  # fmt: skip


class StorefrontView(APIView):
    """What every view of a shop's pages shares: the publishable key, the throttle, CORS for the key's origins."""

    authentication_classes = [StorefrontKeyAuthentication]
    permission_classes = [HasStorefrontKey]
    throttle_classes = [StorefrontThrottle]
    throttle_scope = "ask"

    def initial(self, request, *args, **kwargs):
        if request.method == "OPTIONS":  # a browser's preflight carries no key
            return
        super().initial(request, *args, **kwargs)

    def options(self, request, *args, **kwargs):
        return Response(status=status.HTTP_204_NO_CONTENT)

    def throttled(self, request, wait):
        raise exceptions.Throttled(wait, detail="Too many questions at once: please wait a moment and ask again.")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        origin = request.headers.get("Origin")
        if origin:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Headers"] = f"Content-Type, {KEY_HEADER}, {SHOPPER_HEADER}"
            response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response["Vary"] = "Origin"
        return response


class StorefrontServerView(APIView):
    """What every view of the shop's server shares: the secret key and the throttle; no browser is answered
    (no CORS), so a page that somehow held the secret still could not use it from a shopper's browser."""

    authentication_classes = [StorefrontSecretAuthentication]
    permission_classes = [HasStorefrontKey]
    throttle_classes = [StorefrontThrottle]

    def throttled(self, request, wait):
        raise exceptions.Throttled(wait, detail="Too many requests: please wait a moment and send again.")


class AskInput(serializers.Serializer):
    question = serializers.CharField(max_length=settings.STOREFRONT_MAX_MESSAGE_CHARS, trim_whitespace=True)
    sku = serializers.CharField(max_length=64, required=False, allow_blank=True, default="",
                                help_text="the product the shopper has in view")  # fmt: skip
    language = serializers.ChoiceField(choices=["en", "zh"], required=False, help_text="default: the question's")


def _ask(request, conversation: Conversation | None) -> Response:
    data = AskInput(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        conversation, _, _ = services.conversation_ask(
            storefront=request.auth, text=data.validated_data["question"], sku=data.validated_data["sku"],
            conversation=conversation, language=data.validated_data.get("language", ""), shopper=request.shopper,
        )  # fmt: skip
    except StudioError as exc:
        raise exceptions.ValidationError({"detail": str(exc)}) from None
    return Response(ConversationSerializer(conversation_for_shopper(conversation)).data, status=201)


class AskView(StorefrontView):
    @extend_schema(request=AskInput, responses={201: ConversationSerializer}, operation_id="storefront_ask",
                   summary="Ask the shop's assistant; starts a conversation")  # fmt: skip
    def post(self, request):
        return _ask(request, None)


def _conversation(request, token: str) -> Conversation:
    """A conversation of this storefront, by its token; one the shop vouched a shopper for, only with that
    shopper's token too (an anonymous one reads with its own token alone)."""
    return get_object_or_404(
        Conversation, Q(shopper="") | Q(shopper=request.shopper or ""), token=token, storefront=request.auth
    )


class ConversationSummarySerializer(serializers.Serializer):
    token = serializers.CharField()
    language = serializers.CharField()
    waiting_for_a_person = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class ConversationListView(StorefrontView):
    """The shopper's own conversations, newest first: only to their shopper token."""

    permission_classes = [HasStorefrontKey, HasShopperToken]
    throttle_scope = "conversations"

    @extend_schema(responses={200: ConversationSummarySerializer(many=True)}, operation_id="storefront_conversations",
                   summary="The shopper's own conversations (a shopper token)")  # fmt: skip
    def get(self, request):
        conversations = services.shopper_conversations(storefront=request.auth, shopper=request.shopper)
        shown = [
            {"token": c.token, "language": c.language, "updated_at": c.updated_at,
             "waiting_for_a_person": c.status != Conversation.Status.OPEN}
            for c in conversations
        ]  # fmt: skip
        return Response(ConversationSummarySerializer(shown, many=True).data)


class ConversationView(StorefrontView):
    @extend_schema(responses={200: ConversationSerializer}, operation_id="storefront_conversation",
                   summary="A conversation as the shopper sees it")  # fmt: skip
    def get(self, request, token: str):
        return Response(ConversationSerializer(conversation_for_shopper(_conversation(request, token))).data)


class ContinueView(StorefrontView):
    @extend_schema(request=AskInput, responses={201: ConversationSerializer}, operation_id="storefront_continue",
                   summary="Ask again in a conversation")  # fmt: skip
    def post(self, request, token: str):
        return _ask(request, _conversation(request, token))


# --- staff: the store's articles ----------------------------------------------------------------------------------


class ArticleSerializer(serializers.ModelSerializer):
    language = serializers.ChoiceField(choices=["en", "zh"], required=False, help_text="default: the text's")

    class Meta:
        model = StoreArticle
        fields = ["id", "slug", "title", "language", "body", "published", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class StoreArticleViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The store's articles: merchandisers write them; each save is a revision."""

    queryset = StoreArticle.objects.order_by("slug")
    serializer_class = ArticleSerializer
    write_roles = (roles.MERCHANDISER,)
    filterset_fields = ["language", "published"]
    lookup_field = "slug"

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = self._save(data, None)

    def perform_update(self, serializer):
        article = serializer.instance
        data = {"slug": article.slug, "title": article.title, "body": article.body, "language": article.language,
                "published": article.published} | serializer.validated_data  # fmt: skip
        serializer.instance = self._save(data, article)

    def _save(self, data: dict, article):
        try:
            return services.article_save(
                article=article, slug=data["slug"], title=data["title"], body=data["body"],
                language=data.get("language", ""), published=data.get("published", False), user=self.request.user,
            )  # fmt: skip
        except StudioError as exc:
            raise exceptions.ValidationError({"detail": str(exc)}) from None

    @extend_schema(request=None, responses={200: ArticleSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        article = services.article_publish(article=self.get_object(), published=True, user=request.user)
        return Response(ArticleSerializer(article).data)

    @extend_schema(request=None, responses={200: ArticleSerializer})
    @action(detail=True, methods=["post"])
    def unpublish(self, request, slug=None):
        article = services.article_publish(article=self.get_object(), published=False, user=request.user)
        return Response(ArticleSerializer(article).data)
