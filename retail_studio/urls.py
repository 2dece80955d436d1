from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from catalog import api_views as catalog_api
from catalog.views import StudioLoginView, account_language, api_token, healthz
from generation import api_views as generation_api
from generation.publishing import api as publishing_api
from generation.recommendations import api as recommendations_api
from generation.storefront import api as storefront_api
from generation.storefront import urls as storefront_urls
from retail_studio.api import api_not_found
from retail_studio.media import media

# The one router of the API; each app keeps its serializers and viewsets beside its views.
router = DefaultRouter()
router.include_format_suffixes = False  # one URL per endpoint: JSON is the only format
router.register("categories", catalog_api.CategoryViewSet, basename="category")
router.register("products", catalog_api.ProductViewSet, basename="product")
router.register("imports", catalog_api.CatalogImportViewSet, basename="import")
router.register("models", generation_api.GenerativeModelViewSet, basename="model")
router.register("training-jobs", generation_api.TrainingJobViewSet, basename="training-job")
router.register("sampling-jobs", generation_api.SamplingJobViewSet, basename="sampling-job")
router.register("variation-jobs", generation_api.VariationJobViewSet, basename="variation-job")
router.register("copy-jobs", generation_api.CopyJobViewSet, basename="copy-job")
router.register("items", generation_api.GeneratedItemViewSet, basename="item")
router.register("decisions", generation_api.ReviewDecisionViewSet, basename="decision")
router.register("rejection-reasons", generation_api.RejectionReasonViewSet, basename="rejection-reason")
router.register("exports", publishing_api.CatalogExportViewSet, basename="export")
router.register("articles", storefront_api.StoreArticleViewSet, basename="article")
router.register("recommendation-rules", recommendations_api.RecommendationRuleViewSet, basename="recommendation-rule")

urlpatterns = [
    path("login/", StudioLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/api-token/", api_token, name="api_token"),
    path("account/language/", account_language, name="account_language"),
    # The dashboard's strings for its scripts, in the page's language: no secret, so the login page has them too.
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript_catalog"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/events/", recommendations_api.EventBatchView.as_view(), name="events"),
    path("api/v1/events/erase/", recommendations_api.ShopperEraseView.as_view(), name="events_erase"),
    path("api/v1/products/<int:pk>/similar/", recommendations_api.SimilarView.as_view(), name="products_similar"),
    path(
        "api/v1/products/<int:pk>/complete-the-look/",
        recommendations_api.CompleteTheLookView.as_view(),
        name="products_complete_the_look",
    ),  # fmt: skip
    path("api/v1/recommendations/for-you/", recommendations_api.ForYouView.as_view(), name="for_you"),
    path("api/v1/", include((router.urls, "api"))),
    path("api/storefront/v1/", include((storefront_urls.api_urlpatterns, "storefront_api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api_schema"), name="api_redoc"),
    re_path(r"^api/", api_not_found),  # any other path under /api/, even one with a newline in it
    path("", include("catalog.urls")),
    path("", include("generation.urls")),
    path("", include("generation.storefront.urls")),
    path("", include("generation.recommendations.urls")),
    path("", include("generation.publishing.urls")),
    # Media behind the login and the roles; a deployment hands the bytes to its web server (MEDIA_ACCEL_REDIRECT).
    re_path(r"^media/(?P<path>.+)$", media, name="media"),
]
