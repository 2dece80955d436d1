from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from catalog.views import healthz
from retail_studio.media import media

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("catalog.urls")),
    path("", include("generation.urls")),
    # Media behind the login and the roles; a deployment hands the bytes to its web server (MEDIA_ACCEL_REDIRECT).
    re_path(r"^media/(?P<path>.+)$", media, name="media"),
]
