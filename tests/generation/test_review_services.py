import threading
from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from catalog import roles
from catalog.models import Category, ProductImage
from generation.models import GeneratedItem, RejectionReason, ReviewDecision
from generation.services import review
from retail_studio.errors import StudioError
from tests.factories import make_generated_items, make_product, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def reason():
    return RejectionReason.objects.order_by("position").first()


@pytest.fixture
def item(merchandiser):
    return make_generated_items(generated_by=merchandiser)[0]


def decision_urls(item_id: int) -> list[str]:
    return [
        reverse("generation:review_approve", args=[item_id]), reverse("generation:review_reject", args=[item_id]),
        reverse("generation:review_undo", args=[item_id]), reverse("generation:review_bulk"),
        reverse("generation:review_keys"),
    ]  # fmt: skip


def test_merchandisers_may_look_but_every_decision_endpoint_refuses_them(client, merchandiser, item, reason):
    client.force_login(merchandiser)
    assert client.get(reverse("generation:review_queue")).status_code == 200
    assert client.get(reverse("generation:review_items")).json()["items"][0]["id"] == item.pk
    for url in decision_urls(item.pk):
        assert client.post(url, {"reason": reason.pk, "action": "approve", "approve": "q"}).status_code == 403, url
    item.refresh_from_db()
    assert item.review_state == "pending" and not ReviewDecision.objects.exists()
    client.logout()
    for url in decision_urls(item.pk):
        assert client.post(url).status_code == 302  # to the login page


def test_a_reviewer_approves_and_rejects_through_the_endpoints(reviewer_client, item, reason):
    other = make_generated_items()[0]
    answer = reviewer_client.post(reverse("generation:review_approve", args=[item.pk]), {"note": "crisp"})
    assert answer.status_code == 200 and answer.json()["item"]["review_state"] == "approved"
    rejected = reviewer_client.post(reverse("generation:review_reject", args=[other.pk]), {"reason": reason.pk})
    assert rejected.json()["item"]["history"][0]["reason"] == reason.label
    missing_reason = reviewer_client.post(reverse("generation:review_reject", args=[make_generated_items()[0].pk]))
    assert missing_reason.status_code == 400 and "reason" in missing_reason.json()["error"]


def test_nobody_approves_what_they_generated(reviewer, admin_user_role, settings, reason):
    own = make_generated_items(2, generated_by=reviewer)
    with pytest.raises(StudioError, match="another reviewer must approve"):
        review.generated_item_approve(item=own[0], reviewer=reviewer)
    review.generated_item_reject(item=own[0], reviewer=reviewer, reason=reason)  # rejecting one's own is fine
    admins_own = make_generated_items(generated_by=admin_user_role)[0]
    settings.REVIEW_ADMINS_MAY_APPROVE_OWN = False
    with pytest.raises(StudioError):
        review.generated_item_approve(item=admins_own, reviewer=admin_user_role)
    settings.REVIEW_ADMINS_MAY_APPROVE_OWN = True
    review.generated_item_approve(item=admins_own, reviewer=admin_user_role)
    with pytest.raises(StudioError):  # the setting is for admins only
        review.generated_item_approve(item=own[1], reviewer=reviewer)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_deciding_one_item_at_once_exactly_one_wins(reason):
    """Two threads, two database connections, one item: one decision lands, the other is told who won."""
    first, second = make_user("ann", roles.REVIEWER), make_user("bob", roles.REVIEWER)
    (item,) = make_generated_items()
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def decide(user, approve: bool) -> None:
        start.wait()
        try:
            if approve:
                review.generated_item_approve(item=item, reviewer=user)
            else:
                review.generated_item_reject(item=item, reviewer=user, reason=reason)
            outcomes[user.username] = "won"
        except review.AlreadyDecided as exc:
            outcomes[user.username] = str(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(first, True)),
        threading.Thread(target=decide, args=(second, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes.values(), key=str)[-1] == "won" and list(outcomes.values()).count("won") == 1
    item.refresh_from_db()
    winner = item.decided_by.username
    loser = "bob" if winner == "ann" else "ann"
    assert outcomes[loser] == f"Already {item.review_state} by {winner}."
    assert ReviewDecision.objects.filter(item=item).count() == 1


def test_undo_within_five_minutes_by_the_same_reviewer_only(reviewer, item, reason):
    product = make_product(category="Dress", title="Blue dress")
    review.generated_item_approve(item=item, reviewer=reviewer, product=product)
    assert ProductImage.objects.filter(product=product, generated_item=item).exists()
    other = make_user("other-reviewer", roles.REVIEWER)
    with pytest.raises(StudioError, match="Only rev"):
        review.review_decision_undo(item=item, reviewer=other)
    review.review_decision_undo(item=item, reviewer=reviewer)
    item.refresh_from_db()
    assert item.review_state == "pending" and item.decided_by is None
    assert not ProductImage.objects.filter(generated_item=item).exists()  # undoing an attach removes the image
    actions = list(ReviewDecision.objects.filter(item=item).order_by("id").values_list("action", "state_after"))
    assert actions == [("approved", "approved"), ("undone", "pending")]

    review.generated_item_reject(item=item, reviewer=reviewer, reason=reason)
    GeneratedItem.objects.filter(pk=item.pk).update(decided_at=timezone.now() - timedelta(minutes=5, seconds=1))
    with pytest.raises(StudioError, match="5 minutes"):
        review.review_decision_undo(item=item, reviewer=reviewer)
    item.refresh_from_db()
    assert item.review_state == "rejected"


def test_audit_rows_cannot_be_changed_or_deleted_and_the_admin_only_shows_them(reviewer, item, rf, admin_user_role):
    decision = review.generated_item_approve(item=item, reviewer=reviewer, note="fine")
    decision.note = "edited"
    with pytest.raises(ValueError, match="never changed"):
        decision.save()
    with pytest.raises(ValueError, match="never deleted"):
        decision.delete()
    assert ReviewDecision.objects.get().note == "fine"
    request = rf.get("/")
    request.user = admin_user_role
    admin = site._registry[ReviewDecision]
    assert not admin.has_change_permission(request, decision) and not admin.has_delete_permission(request, decision)
    assert not admin.has_add_permission(request)


def test_approving_attaches_to_a_product_of_the_same_category_or_a_new_draft(reviewer, reason, client):
    dress, coat = make_product(category="Dress", title="Red dress"), make_product(category="Coat", title="Wool coat")
    first, second, third = make_generated_items(3, category="Dress")
    with pytest.raises(StudioError, match="is a Coat"):
        review.generated_item_approve(item=first, reviewer=reviewer, product=coat)
    review.generated_item_approve(item=first, reviewer=reviewer, product=dress)
    decision = review.generated_item_approve(item=second, reviewer=reviewer, new_product_title="Summer dress draft")
    assert decision.created_product and decision.product.status == "draft"
    assert decision.product.category.name == "Dress" and decision.product.images.get().generated_item == second
    review.generated_item_reject(item=third, reviewer=reviewer, reason=reason)

    client.force_login(reviewer)
    page = client.get(reverse("catalog:product_detail", args=[dress.pk])).content.decode()
    assert page.count("AI-generated</span>") == 1 and "approved by</dt><dd>rev" in page
    assert f"seed</dt><dd>{first.seed}" in page
    # A rejected item never appears on any product.
    assert not ProductImage.objects.filter(generated_item=third).exists()


def test_bulk_approval_of_a_large_query_needs_a_confirmed_spot_check(reviewer_client, reviewer, reason):
    make_generated_items(55, category="Bag")
    make_generated_items(3, category="Coat")
    bag = Category.objects.get(name="Bag").pk
    url = reverse("generation:review_bulk") + f"?category={bag}"
    asked = reviewer_client.post(url, {"action": "approve"})
    assert asked.status_code == 409
    check = asked.json()["spot_check"]
    assert len(check["items"]) == 10 and {i["category"] for i in check["items"]} == {"Bag"}
    assert not GeneratedItem.objects.exclude(review_state="pending").exists()

    # A token is for its own query only.
    other = reviewer_client.post(reverse("generation:review_bulk"), {"action": "approve", "spot_check": check["token"]})
    assert other.status_code == 409 and "another selection" in other.json()["error"]
    done = reviewer_client.post(url, {"action": "approve", "spot_check": check["token"]})
    assert done.json() == {"decided": 55, "skipped_own": 0, "skipped_copy": 0, "pending": 3}  # the 3 coats
    assert GeneratedItem.objects.filter(category__name="Bag", review_state="approved").count() == 55
    assert GeneratedItem.objects.filter(category__name="Coat", review_state="pending").count() == 3
    assert ReviewDecision.objects.filter(bulk=True, action="approved").count() == 55


def test_bulk_ids_past_64_bits_are_refused_not_a_server_error(reviewer_client, merchandiser):
    (item,) = make_generated_items(1, generated_by=merchandiser)
    response = reviewer_client.post(
        reverse("generation:review_bulk"), {"action": "approve", "ids": f"{item.pk},{2**70}"}
    )
    assert response.status_code == 400
    assert GeneratedItem.objects.get(pk=item.pk).review_state == "pending"


def test_a_rejection_in_the_spot_check_stops_the_bulk_approval(reviewer_client, reviewer, reason):
    make_generated_items(60)
    asked = reviewer_client.post(reverse("generation:review_bulk"), {"action": "approve"}).json()["spot_check"]
    review.generated_item_reject(
        item=GeneratedItem.objects.get(pk=asked["items"][0]["id"]), reviewer=reviewer, reason=reason
    )
    stopped = reviewer_client.post(
        reverse("generation:review_bulk"), {"action": "approve", "spot_check": asked["token"]}
    )
    assert stopped.status_code == 400 and "stopped" in stopped.json()["error"]
    assert not GeneratedItem.objects.filter(review_state="approved").exists()


def test_bulk_on_a_selection_rejects_with_a_reason_and_skips_own_items_on_approval(reviewer_client, reviewer, reason):
    mine = make_generated_items(2, generated_by=reviewer)
    others = make_generated_items(3)
    ids = ",".join(str(i.pk) for i in [*mine, *others])
    approved = reviewer_client.post(reverse("generation:review_bulk"), {"action": "approve", "ids": ids}).json()
    assert approved == {"decided": 3, "skipped_own": 2, "skipped_copy": 0, "pending": 2}  # the reviewer's own
    rejected = reviewer_client.post(
        reverse("generation:review_bulk"), {"action": "reject", "ids": ids, "reason": reason.pk}
    ).json()
    assert rejected["decided"] == 2  # the approved ones are decided already
    assert set(GeneratedItem.objects.filter(pk__in=[m.pk for m in mine]).values_list("review_state", flat=True)) == {
        "rejected"
    }


def test_queue_filters_and_the_pending_count_in_the_top_bar(reviewer_client, merchandiser, reviewer, reason):
    copies = make_generated_items(2, category="Bag", possible_copy=True, generated_by=merchandiser)
    make_generated_items(3, category="Coat")
    items_url = reverse("generation:review_items")
    assert [i["id"] for i in reviewer_client.get(items_url, {"possible_copy": "true"}).json()["items"]] == [
        c.pk for c in copies
    ]
    by_merch = reviewer_client.get(items_url, {"generated_by": merchandiser.pk}).json()
    assert by_merch["count"] == 2 and by_merch["items"][0]["generated_by"] == "merch"
    newest = reviewer_client.get(items_url, {"order": "newest"}).json()["items"]
    assert [i["id"] for i in newest] == sorted((i["id"] for i in newest), reverse=True)
    review.generated_item_reject(item=copies[0], reviewer=reviewer, reason=reason)
    assert reviewer_client.get(items_url, {"state": "rejected"}).json()["count"] == 1
    assert reviewer_client.get(items_url, {"state": ""}).json()["count"] == 5
    page = reviewer_client.get(reverse("generation:review_queue")).content.decode()
    assert 'id="nav-review">Review' in page and 'title="items waiting for review">' in page


def test_each_reviewer_keeps_their_own_keys_on_the_server(reviewer_client, reviewer):
    saved = reviewer_client.post(reverse("generation:review_keys"), {"approve": "y", "reject": "n"})
    assert saved.json()["keymap"]["approve"] == "y"
    page = reviewer_client.get(reverse("generation:review_queue")).content.decode()
    assert '"approve": "y"' in page and '"reject": "n"' in page
    for bad in ({"approve": "j"}, {"approve": "2"}, {"approve": "ab"}):
        assert reviewer_client.post(reverse("generation:review_keys"), bad).status_code == 400
    other = make_user("second", roles.REVIEWER)
    reviewer_client.force_login(other)
    assert '"approve": "a"' in reviewer_client.get(reverse("generation:review_queue")).content.decode()


def test_the_registry_shows_each_versions_approval_rate(trained, reviewer, reason, client):
    items = make_generated_items(4, category="Bag", model=trained)
    for item in items[:3]:
        review.generated_item_approve(item=item, reviewer=reviewer)
    review.generated_item_reject(item=items[3], reviewer=reviewer, reason=reason)
    make_generated_items(1, category="Bag", model=trained)  # pending: not counted
    client.force_login(reviewer)
    page = client.get(reverse("generation:model_registry")).content.decode()
    assert "75%" in page and "3 of 4 decided" in page


def test_a_product_image_is_never_made_from_a_rejected_item(reviewer, reason):
    (item,) = make_generated_items()
    review.generated_item_reject(item=item, reviewer=reviewer, reason=reason)
    with pytest.raises(review.AlreadyDecided, match="Already rejected by rev"):
        review.generated_item_approve(item=item, reviewer=reviewer, product=make_product(image=Image.new("L", (8, 8))))
    assert not ProductImage.objects.filter(source="generated").exists()
