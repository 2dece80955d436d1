"""The recommender's API. Staff: shoppers' events in batches and a shopper's erasure (`/api/v1/events/`), the
three rows (`/api/v1/products/{id}/similar/`, `.../complete-the-look/`, `/api/v1/recommendations/for-you/`)
and the merchandisers' rules (`/api/v1/recommendation-rules/`). A storefront (`/api/storefront/v1/...`): with
its publishable key, the product rows by SKU or id, and with a shopper token that shopper's views and for-you
row; with its secret key, from the shop's server, any of its shoppers' carts and purchases and their erasure."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import roles
from catalog.models import Category, Product
from generation.recommendations import rules, services, serving
from generation.recommendations.models import RecommendationRule
from generation.services.process_cache import ProcessCache
from generation.storefront.answering import active_product
from generation.storefront.api import StorefrontServerView, StorefrontView
from generation.storefront.auth import HasShopperToken, HasStorefrontKey
from generation.storefront.models import StorefrontKey
from generation.storefront.services import shopper_token_issue
from retail_studio.errors import StudioError

MAX_K = 50
_payloads: ProcessCache[dict] = ProcessCache(size=serving.ROWS_KEPT)


class EventSerializer(serializers.Serializer):
    """Shapes only: what each value means is checked by the service, which names the row of every problem."""

    user = serializers.CharField(allow_blank=True, help_text="the shop's own opaque shopper id")
    sku = serializers.CharField(allow_blank=True)
    event = serializers.CharField(allow_blank=True, help_text="view, cart or purchase")
    timestamp = serializers.CharField(allow_blank=True, help_text="ISO 8601")


class EventBatchSerializer(serializers.Serializer):
    events = EventSerializer(many=True, allow_empty=False)


class BrowserEventSerializer(serializers.Serializer):
    """A view, as a shop's page sends it: the shopper is the one its token names, never a field."""

    sku = serializers.CharField(allow_blank=True, help_text="plain text: an active product's SKU")
    event = serializers.CharField(allow_blank=True, help_text="view (carts and purchases come from the shop's server)")
    timestamp = serializers.CharField(allow_blank=True, required=False, help_text="ISO 8601; default: now")


class BrowserEventBatchSerializer(serializers.Serializer):
    events = BrowserEventSerializer(many=True, allow_empty=False)


class StoredSerializer(serializers.Serializer):
    stored = serializers.IntegerField()


class BrowserStoredSerializer(StoredSerializer):
    shopper_token = serializers.CharField(
        required=False, help_text="for an anonymous shopper: the token the studio issued, to send from now on"
    )


def _record(request, limit: int, *, batch_serializer=EventBatchSerializer, source=services.STAFF) -> Response:
    """201 with the count stored, or 400 with `detail` and every problem (`problems`, each with its row)."""
    if isinstance(request.data, dict) and isinstance(request.data.get("events"), list):
        if len(request.data["events"]) > limit:  # refused before thousands of events are parsed
            return Response({"detail": f"A batch holds at most {limit:,} events.", "problems": []}, status=400)
    batch = batch_serializer(data=request.data)
    batch.is_valid(raise_exception=True)
    try:
        report = services.events_record(events=batch.validated_data["events"], source=source, limit=limit)
    except services.EventsRefused as exc:
        return Response({"detail": str(exc), "problems": [str(p) for p in exc.report.problems]}, status=400)
    return Response({"stored": report.stored}, status=201)


class EventBatchView(APIView):
    """Staff: a batch of shoppers' events, all or nothing."""

    write_roles = (roles.MERCHANDISER,)

    @extend_schema(request=EventBatchSerializer, responses={201: StoredSerializer},
                   operation_id="events_create", summary="Store a batch of shoppers' events")  # fmt: skip
    def post(self, request):
        return _record(request, settings.EVENTS_MAX_BATCH)


class EraseInput(serializers.Serializer):
    user = serializers.CharField(max_length=64)


def _shoppers_storefront() -> serializers.PrimaryKeyRelatedField:
    """Staff name a storefront's shopper by the storefront too: its shopper ids are its own."""
    return serializers.PrimaryKeyRelatedField(
        queryset=StorefrontKey.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="the storefront whose shopper this is (none: the studio's own events)",
    )


class StaffEraseInput(EraseInput):
    storefront = _shoppers_storefront()


class ErasedSerializer(serializers.Serializer):
    erased = serializers.IntegerField()


class ShopperEraseView(APIView):
    """Admins: a shopper's right to be forgotten."""

    write_roles = (roles.ADMIN,)

    @extend_schema(request=StaffEraseInput, responses={200: ErasedSerializer}, operation_id="events_erase",
                   summary="Erase every event of a shopper")  # fmt: skip
    def post(self, request):
        data = StaffEraseInput(data=request.data)
        data.is_valid(raise_exception=True)
        erased = services.shopper_events_erase(
            shopper=data.validated_data["user"], storefront=data.validated_data["storefront"]
        )
        return Response({"erased": erased})


class StorefrontEventsView(StorefrontView):
    """A shop's page: its shopper's views. A shopper without a token is given an anonymous one here."""

    throttle_scope = "events"

    @extend_schema(request=BrowserEventBatchSerializer, responses={201: BrowserStoredSerializer},
                   operation_id="storefront_events", summary="Send the shopper's views")  # fmt: skip
    def post(self, request):
        shopper, issued = request.shopper, ""
        if not shopper:
            shopper, issued = shopper_token_issue(storefront=request.auth)
        source = services.EventSource(storefront=request.auth, shopper=shopper)
        response = _record(
            request, settings.STOREFRONT_MAX_EVENTS, batch_serializer=BrowserEventBatchSerializer, source=source
        )
        if issued and response.status_code == 201:
            response.data["shopper_token"] = issued
        return response


class StorefrontServerEventsView(StorefrontServerView):
    """The shop's server: any of its shoppers' events, carts and purchases too."""

    throttle_scope = "server_events"

    @extend_schema(request=EventBatchSerializer, responses={201: StoredSerializer},
                   operation_id="storefront_server_events", summary="Send shoppers' events from the shop's server")  # fmt: skip
    def post(self, request):
        source = services.EventSource(storefront=request.auth)
        return _record(request, settings.STOREFRONT_SERVER_MAX_EVENTS, source=source)


class StorefrontServerEraseView(StorefrontServerView):
    throttle_scope = "server_erase"

    @extend_schema(request=EraseInput, responses={200: ErasedSerializer}, operation_id="storefront_server_erase",
                   summary="Erase every event of one of the storefront's shoppers")  # fmt: skip
    def post(self, request):
        data = EraseInput(data=request.data)
        data.is_valid(raise_exception=True)
        erased = services.shopper_events_erase(shopper=data.validated_data["user"], storefront=request.auth)
        return Response({"erased": erased})


# --- the rows -----------------------------------------------------------------------------------------------------


class RowInput(serializers.Serializer):
    k = serializers.IntegerField(min_value=1, max_value=MAX_K, default=10, help_text="how many products")


class ForYouInput(RowInput):
    user = serializers.CharField(max_length=64, help_text="the shop's own opaque shopper id")
    storefront = _shoppers_storefront()


class StorefrontCardSerializer(serializers.Serializer):
    sku = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    url = serializers.SerializerMethodField()
    reason = serializers.CharField(help_text='plain text: why it is there ("because you viewed ...", "goes with ...")')

    def get_url(self, card) -> str:
        return settings.STOREFRONT_PRODUCT_URL.format(sku=card.sku)


class StaffCardSerializer(StorefrontCardSerializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class RowSerializer(serializers.Serializer):
    placement = serializers.CharField()
    products = StaffCardSerializer(many=True)


class StorefrontRowSerializer(serializers.Serializer):
    placement = serializers.CharField()
    products = StorefrontCardSerializer(many=True)


K_PARAMETER = OpenApiParameter("k", OpenApiTypes.INT, description=f"how many products, 1 to {MAX_K} (default 10)")
USER_PARAMETER = OpenApiParameter("user", OpenApiTypes.STR, required=True, description="the shop's shopper id")
STOREFRONT_PARAMETER = OpenApiParameter(
    "storefront", OpenApiTypes.INT, description="the storefront whose shopper this is (none: the studio's own)"
)


class _Rows:
    """What the staff and storefront row views share: the input, the row, the cards."""

    row_serializer = RowSerializer
    purchases_named = True  # staff see why a product is in a shopper's row; a shop's page never says it

    def product_row(self, request, product: Product, placement: str) -> Response:
        data = RowInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        cards = serving.product_row_cards(product, placement=placement, k=data.validated_data["k"])
        # The same cards (plain values, kept by the serving) give the same answer: serialised once per caller.
        key = (self.row_serializer, placement, tuple(cards))
        return Response(
            _payloads.get(key, lambda: self.row_serializer({"placement": placement, "products": cards}).data)
        )

    def for_you_row(self, shopper: str, *, storefront: StorefrontKey | None, k: int) -> Response:
        row = serving.for_you(shopper, k=k, storefront_id=storefront.pk if storefront else None)
        cards = serving.row_cards(row, placement=serving.FOR_YOU, purchases_named=self.purchases_named)
        return Response(self.row_serializer({"placement": serving.FOR_YOU, "products": cards}).data)


class SimilarView(_Rows, APIView):
    @extend_schema(parameters=[K_PARAMETER], responses={200: RowSerializer}, operation_id="products_similar",
                   summary="Active products that look like this one, after the rules")  # fmt: skip
    def get(self, request, pk: int):
        return self.product_row(request, get_object_or_404(Product, pk=pk), serving.SIMILAR)


class CompleteTheLookView(_Rows, APIView):
    @extend_schema(parameters=[K_PARAMETER], responses={200: RowSerializer}, operation_id="products_complete_the_look",
                   summary="Products of the paired categories that go with this one, after the rules")  # fmt: skip
    def get(self, request, pk: int):
        return self.product_row(request, get_object_or_404(Product, pk=pk), serving.COMPLETE_THE_LOOK)


class ForYouView(_Rows, APIView):
    @extend_schema(parameters=[USER_PARAMETER, STOREFRONT_PARAMETER, K_PARAMETER], responses={200: RowSerializer},
                   operation_id="recommendations_for_you", summary="A shopper's for-you row, after the rules")  # fmt: skip
    def get(self, request):
        data = ForYouInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        valid = data.validated_data
        return self.for_you_row(valid["user"], storefront=valid["storefront"], k=valid["k"])


def _storefront_product(product: str) -> Product:
    """A storefront names a product by its SKU (or its id); only an active one is the shop's to show."""
    found = active_product(product)
    if found is None and product.isdecimal():  # isdigit() holds for "³", which int() refuses
        found = Product.objects.filter(pk=int(product), status=Product.Status.ACTIVE).first()
    if found is None:
        raise exceptions.NotFound("No such product in the shop.")
    return found


class StorefrontSimilarView(_Rows, StorefrontView):
    row_serializer = StorefrontRowSerializer
    throttle_scope = "rows"

    @extend_schema(parameters=[K_PARAMETER], responses={200: StorefrontRowSerializer},
                   operation_id="storefront_similar", summary="Products that look like this one")  # fmt: skip
    def get(self, request, product: str):
        return self.product_row(request, _storefront_product(product), serving.SIMILAR)


class StorefrontCompleteTheLookView(_Rows, StorefrontView):
    row_serializer = StorefrontRowSerializer
    throttle_scope = "rows"

    @extend_schema(parameters=[K_PARAMETER], responses={200: StorefrontRowSerializer},
                   operation_id="storefront_complete_the_look", summary="Products that go with this one")  # fmt: skip
    def get(self, request, product: str):
        return self.product_row(request, _storefront_product(product), serving.COMPLETE_THE_LOOK)


class StorefrontForYouView(_Rows, StorefrontView):
    """Only to the shopper's own token: a row says what its shopper looked at."""

    row_serializer = StorefrontRowSerializer
    purchases_named = False
    permission_classes = [HasStorefrontKey, HasShopperToken]
    throttle_scope = "for_you"

    @extend_schema(parameters=[K_PARAMETER], responses={200: StorefrontRowSerializer},
                   operation_id="storefront_for_you", summary="The shopper's own for-you row (a shopper token)")  # fmt: skip
    def get(self, request):
        data = RowInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        return self.for_you_row(request.shopper, storefront=request.auth, k=data.validated_data["k"])


# --- the merchandisers' rules -------------------------------------------------------------------------------------


class RecommendationRuleSerializer(serializers.ModelSerializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False, allow_null=True)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False, allow_null=True)
    description = serializers.CharField(source="__str__", read_only=True)
    created_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = RecommendationRule
        fields = ["id", "action", "product", "category", "placement", "starts_at", "ends_at", "description",
                  "created_by", "created_at"]  # fmt: skip
        read_only_fields = ["id", "created_at"]


class RecommendationRuleViewSet(
    mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):  # fmt: skip
    """Merchandisers' rules: made and removed (each change audited), never edited in place."""

    queryset = RecommendationRule.objects.select_related("product", "category", "created_by")
    serializer_class = RecommendationRuleSerializer
    write_roles = (roles.MERCHANDISER,)

    def perform_create(self, serializer):
        try:
            serializer.instance = rules.recommendation_rule_create(**serializer.validated_data, user=self.request.user)
        except StudioError as exc:
            raise exceptions.ValidationError({"detail": str(exc)}) from None

    def perform_destroy(self, instance):
        rules.recommendation_rule_remove(rule=instance, user=self.request.user)
