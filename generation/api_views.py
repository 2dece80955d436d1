"""Generation's REST API: model versions (promote, retire), training, sampling and copy jobs (create,
progress, cancel, retry), generated items with their review decisions (one by one and in bulk). Each view
parses and calls the same service as the pages; the roles are the pages' roles."""

import django_filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from catalog import roles
from generation import selectors
from generation.models import (
    CopyJob,
    GeneratedItem,
    GenerativeModel,
    RejectionReason,
    ReviewDecision,
    SamplingJob,
    TrainingJob,
)
from generation.serializers import (
    ApproveSerializer,
    BulkDecisionSerializer,
    BulkOutcomeSerializer,
    CopyJobSerializer,
    GeneratedItemSerializer,
    GenerativeModelSerializer,
    RejectionReasonSerializer,
    RejectSerializer,
    ReviewDecisionSerializer,
    SamplingJobSerializer,
    SpotCheckSerializer,
    TrainingJobSerializer,
    VariationJobSerializer,
)
from generation.services import jobs, registry, review
from generation.views import after_param

MERCHANDISING = (roles.MERCHANDISER,)
REVIEWING = (roles.REVIEWER,)
PROGRESS = {"type": "object", "additionalProperties": True}
AFTER = OpenApiParameter("after", int, description="only the points (or items) after this many / this id")


class GenerativeModelViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = GenerativeModel.objects.select_related("created_by").order_by("name", "-version")
    serializer_class = GenerativeModelSerializer
    write_roles = MERCHANDISING
    filterset_fields = ["name", "family", "state"]
    ordering_fields = ["id", "name", "version", "created_at"]

    @extend_schema(request=None, responses=GenerativeModelSerializer)
    @action(detail=True, methods=["post"])
    def promote(self, request, pk=None):
        """Makes this version the active one of its name (the previous active one becomes a candidate)."""
        model = registry.generative_model_promote(model=self.get_object(), user=request.user)
        return Response(self.get_serializer(model).data)

    @extend_schema(request=None, responses=GenerativeModelSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        model = registry.generative_model_retire(model=self.get_object(), user=request.user)
        return Response(self.get_serializer(model).data)


class JobViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Create, list, read, cancel and retry; what differs per kind is its serializer and create service."""

    write_roles = MERCHANDISING
    filterset_fields = ["status"]
    ordering_fields = ["id", "created_at", "status"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = self.job_create(serializer.validated_data)
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Stops a queued job at once, a running one within seconds, keeping what it made."""
        return Response(self.get_serializer(jobs.job_cancel(job=self.get_object())).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Runs a failed or cancelled job again, from where it stopped."""
        return Response(self.get_serializer(jobs.job_retry(job=self.get_object())).data)


class TrainingJobViewSet(JobViewSet):
    queryset = TrainingJob.objects.select_related("started_by").prefetch_related("categories").defer("log", "traceback")
    serializer_class = TrainingJobSerializer
    filterset_fields = ["status", "family", "name"]

    def job_create(self, data: dict) -> TrainingJob:
        return jobs.training_job_create(
            name=data["name"], categories=data["categories"], minutes=data.get("budget_minutes"),
            steps=data.get("budget_steps"), device=data.get("device", "auto"), seed=data.get("seed", 0),
            family=data.get("family", TrainingJob._meta.get_field("family").default),
            engine=data.get("engine", TrainingJob._meta.get_field("engine").default), user=self.request.user,
        )  # fmt: skip

    @extend_schema(parameters=[AFTER], responses={200: OpenApiResponse(PROGRESS)})
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        """The live figures the job page polls: loss points after `after`, the latest samples, the log tail."""
        return Response(selectors.training_job_progress(self.get_object(), after=after_param(request)))


class SamplingJobViewSet(JobViewSet):
    queryset = SamplingJob.objects.select_related("created_by", "model")
    serializer_class = SamplingJobSerializer
    filterset_fields = ["status", "model"]

    def job_create(self, data: dict) -> SamplingJob:
        return jobs.sampling_job_create(
            model=data["model"], category_names=data["category_names"], per_category=data["per_category"],
            seed=data.get("seed", 0), truncation=data.get("truncation", 1.0), user=self.request.user,
        )  # fmt: skip


class VariationJobViewSet(JobViewSet):
    """A VAE version's images from products' photos (variations of one, blends between two), into the review
    queue with their source SKUs."""

    queryset = SamplingJob.objects.filter(sources__isnull=False).distinct().select_related("created_by", "model")
    serializer_class = VariationJobSerializer
    filterset_fields = ["status", "model"]

    def job_create(self, data: dict) -> SamplingJob:
        return jobs.variations_job_create(
            model=data["model"],
            products=data["sources"],
            count=data["per_category"],
            diversity=data.get("truncation", 0.5),
            seed=data.get("seed", 0),
            user=self.request.user,
        )


class CopyJobViewSet(JobViewSet):
    queryset = CopyJob.objects.select_related("created_by", "model").prefetch_related("products")
    serializer_class = CopyJobSerializer
    filterset_fields = ["status", "kind", "model"]

    def job_create(self, data: dict) -> CopyJob:
        return jobs.copy_job_create(
            products=data["products"], kind=data["kind"], style=data.get("style", "plain"),
            language=data.get("language", "en"), keywords=data.get("keywords", []), banned=data.get("banned", []),
            variants=data.get("variants", 3), seed=data.get("seed", 0), model=data.get("model"),
            user=self.request.user,
        )  # fmt: skip


class GeneratedItemFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(field_name="review_state", choices=GeneratedItem.ReviewState.choices)

    class Meta:
        model = GeneratedItem
        fields = ["kind", "category", "model", "job", "copy_job", "training_job", "product", "possible_copy",
                  "generated_by"]  # fmt: skip


class GeneratedItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The review queue: everyone may read it; reviewers (and admins) decide."""

    queryset = GeneratedItem.objects.select_related("category", "model", "generated_by", "decided_by")
    serializer_class = GeneratedItemSerializer
    write_roles = REVIEWING
    filterset_class = GeneratedItemFilter
    ordering_fields = ["id", "created_at", "decided_at"]
    ordering = ["id"]

    def _decided(self, item_id: int) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=item_id)).data)

    @extend_schema(request=ApproveSerializer, responses=GeneratedItemSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approves; an image may be attached to a product (or a new draft one), copy goes to its product."""
        item = self.get_object()
        data = self._parsed(ApproveSerializer)
        review.generated_item_approve(
            item=item, reviewer=request.user, note=data.get("note", ""), product=data.get("product"),
            new_product_title=data.get("new_product_title", ""), text=data.get("text") or None,
        )  # fmt: skip
        return self._decided(item.pk)

    @extend_schema(request=RejectSerializer, responses=GeneratedItemSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        item = self.get_object()
        data = self._parsed(RejectSerializer)
        review.generated_item_reject(item=item, reviewer=request.user, reason=data["reason"], note=data.get("note", ""))
        return self._decided(item.pk)

    @extend_schema(request=None, responses=GeneratedItemSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        """Takes back your own decision within five minutes."""
        item = self.get_object()
        review.review_decision_undo(item=item, reviewer=request.user)
        return self._decided(item.pk)

    @extend_schema(
        request=BulkDecisionSerializer,
        responses={200: BulkOutcomeSerializer, 409: SpotCheckSerializer},
        description="Decides the listed items, or every item the URL's filters match. Approving more than 50 "
        "answers 409 with a spot-check: look at its items, then send its token back as `spot_check`.",
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        data = self._parsed(BulkDecisionSerializer)
        if data.get("ids"):
            queryset, scope = GeneratedItem.objects.filter(pk__in=data["ids"]), {"ids": data["ids"]}
        else:
            queryset = self.filter_queryset(GeneratedItem.objects.all())
            scope = {"api_filters": sorted(request.query_params.items())}
        try:
            outcome = review.review_bulk_decide(
                items=queryset, scope=scope, reviewer=request.user, approve=data["action"] == "approve",
                reason=data.get("reason"), note=data.get("note", ""), spot_check=data.get("spot_check", ""),
            )  # fmt: skip
        except review.SpotCheckRequired as exc:
            check = review.review_spot_check_draw(items=queryset, scope=scope, reviewer=request.user)
            body = {"detail": str(exc), "token": check.token,
                    "items": self.get_serializer(check.items, many=True).data}  # fmt: skip
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(BulkOutcomeSerializer(outcome).data)

    def _parsed(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ReviewDecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail: every decision, append-only."""

    queryset = ReviewDecision.objects.select_related("reviewer")
    serializer_class = ReviewDecisionSerializer
    filterset_fields = ["item", "action", "reviewer", "bulk"]
    ordering_fields = ["id", "created_at"]


class RejectionReasonViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = RejectionReason.objects.all()
    serializer_class = RejectionReasonSerializer
    filterset_fields = ["active"]
