"""Events in through the API: staff send batches (`/api/v1/events/`) and erase a shopper's events; a storefront
sends its shoppers' events with its publishable key (`/api/storefront/v1/events/`)."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import roles
from generation.recommendations import services
from generation.storefront.api import StorefrontView


class EventSerializer(serializers.Serializer):
    """Shapes only: what each value means is checked by the service, which names the row of every problem."""

    user = serializers.CharField(allow_blank=True, help_text="the shop's own opaque shopper id")
    sku = serializers.CharField(allow_blank=True)
    event = serializers.CharField(allow_blank=True, help_text="view, cart or purchase")
    timestamp = serializers.CharField(allow_blank=True, help_text="ISO 8601")


class EventBatchSerializer(serializers.Serializer):
    events = EventSerializer(many=True, allow_empty=False)


class StoredSerializer(serializers.Serializer):
    stored = serializers.IntegerField()


def _record(request, limit: int) -> Response:
    """201 with the count stored, or 400 with `detail` and every problem (`problems`, each with its row)."""
    if isinstance(request.data, dict) and isinstance(request.data.get("events"), list):
        if len(request.data["events"]) > limit:  # refused before thousands of events are parsed
            return Response({"detail": f"A batch holds at most {limit:,} events.", "problems": []}, status=400)
    batch = EventBatchSerializer(data=request.data)
    batch.is_valid(raise_exception=True)
    try:
        report = services.events_record(events=batch.validated_data["events"], limit=limit)
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


class ErasedSerializer(serializers.Serializer):
    erased = serializers.IntegerField()


class ShopperEraseView(APIView):
    """Admins: a shopper's right to be forgotten."""

    write_roles = (roles.ADMIN,)

    @extend_schema(request=EraseInput, responses={200: ErasedSerializer}, operation_id="events_erase",
                   summary="Erase every event of a shopper")  # fmt: skip
    def post(self, request):
        data = EraseInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response({"erased": services.shopper_events_erase(shopper=data.validated_data["user"])})


class StorefrontEventsView(StorefrontView):
    @extend_schema(request=EventBatchSerializer, responses={201: StoredSerializer},
                   operation_id="storefront_events", summary="Send the storefront's shoppers' events")  # fmt: skip
    def post(self, request):
        return _record(request, settings.STOREFRONT_MAX_EVENTS)
