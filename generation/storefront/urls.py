from django.urls import path

from generation.recommendations import api as recommendations_api
from generation.storefront import api, views

app_name = "storefront"

urlpatterns = [
    path("assistant/articles/", views.article_list, name="article_list"),
    path("assistant/articles/new/", views.article_edit, name="article_new"),
    path("assistant/articles/<slug:slug>/", views.article_edit, name="article_edit"),
    path("assistant/articles/<slug:slug>/publish/", views.article_publish, name="article_publish"),
    path("assistant/inbox/", views.inbox, name="inbox"),
    path("assistant/inbox/<int:conversation_id>/", views.conversation_detail, name="conversation"),
    path("assistant/inbox/<int:conversation_id>/take-over/", views.conversation_take_over, name="take_over"),
    path("assistant/inbox/<int:conversation_id>/reply/", views.conversation_reply, name="reply"),
    path("assistant/gaps/", views.gaps, name="gaps"),
    path("storefront/demo/", views.demo_storefront, name="demo"),
]

# Under /api/storefront/v1/: the shoppers' door (the publishable key, a shopper token where a shopper is named)
# and, under server/, the shop's server's (the secret key); nothing else opens either.
api_urlpatterns = [
    path("ask/", api.AskView.as_view(), name="ask"),
    path("conversations/", api.ConversationListView.as_view(), name="conversations"),
    path("conversations/<str:token>/", api.ConversationView.as_view(), name="conversation"),
    path("conversations/<str:token>/ask/", api.ContinueView.as_view(), name="continue"),
    path("events/", recommendations_api.StorefrontEventsView.as_view(), name="events"),
    path("products/<str:product>/similar/", recommendations_api.StorefrontSimilarView.as_view(), name="similar"),
    path(
        "products/<str:product>/complete-the-look/",
        recommendations_api.StorefrontCompleteTheLookView.as_view(),
        name="complete_the_look",
    ),
    path("recommendations/for-you/", recommendations_api.StorefrontForYouView.as_view(), name="for_you"),
    path("server/events/", recommendations_api.StorefrontServerEventsView.as_view(), name="server_events"),
    path("server/shoppers/erase/", recommendations_api.StorefrontServerEraseView.as_view(), name="server_erase"),
]
