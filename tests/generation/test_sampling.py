import numpy as np
import pytest
from django.urls import reverse
from PIL import Image

from catalog.models import Category, Product
from generation.gan.sampling import sample
from generation.models import GeneratedItem
from generation.services import jobs
from generation.services.models import load_generator
from retail_studio.errors import StudioError

pytestmark = pytest.mark.django_db


def test_a_sampling_job_makes_reviewable_items_that_its_seeds_remake(
    trained, celery_eager, django_capture_on_commit_callbacks, merchandiser
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.sampling_job_create(
            model=trained, category_names=["Coat", "Bag"], per_category=3, seed=10, truncation=0.8, user=merchandiser
        )
    job.refresh_from_db()
    assert (job.status, job.progress) == ("succeeded", 1.0), job.error
    items = list(GeneratedItem.objects.filter(job=job).order_by("id"))
    assert [i.category.name for i in items] == ["Coat"] * 3 + ["Bag"] * 3
    assert [i.seed for i in items] == list(range(10, 16))
    assert all(i.review_state == "pending" and i.nearest_pixel_distance >= 0 for i in items)
    assert all(i.generated_by == merchandiser for i in items)
    for item in items:
        # The three nearest catalog photos, nearest first; the flag and the classifier's opinion are filled in.
        distances = [n["distance"] for n in item.nearest_products]
        assert len(distances) == 3 and distances == sorted(distances)
        assert Product.objects.filter(pk__in=[n["product_id"] for n in item.nearest_products]).count() >= 1
        assert item.possible_copy == (distances[0] < item.copy_threshold)
        assert item.predicted_category in trained.category_names and 0 < item.predicted_confidence <= 1

    generator = load_generator(trained)
    first = items[0]
    remade = sample(generator, [trained.category_names.index("Coat")], [first.seed], truncation=0.8)[0]
    with Image.open(first.image.path) as stored:
        assert np.array_equal(np.asarray(stored), remade[:, :, 0])


def test_bad_requests_are_refused(trained):
    with pytest.raises(StudioError, match="pick among those"):
        jobs.sampling_job_create(model=trained, category_names=["Hats"], per_category=1)
    with pytest.raises(StudioError, match="1 to 500"):
        jobs.sampling_job_create(model=trained, category_names=["Bag"], per_category=0)


def test_generate_pages(trained, client, reviewer, merchandiser, django_capture_on_commit_callbacks):
    url = reverse("generation:model_generate", args=[trained.pk])
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    client.force_login(merchandiser)
    bag = Category.objects.get(name="Bag")
    listing = client.get(reverse("catalog:product_list"), {"category": bag.pk}).content.decode()
    # The category page carries the form itself, preset to its category, and a link to every option.
    assert f'action="{url}"' in listing and 'name="categories" value="Bag"' in listing
    assert f"{url}?category=Bag" in listing
    product = bag.products.first()
    detail = client.get(reverse("catalog:product_detail", args=[product.pk])).content.decode()
    assert f'action="{url}"' in detail and 'name="per_category"' in detail
    # The full form opens with the model's categories ticked (checkboxes), or the one the link named.
    form = client.get(url).content.decode()
    assert form.count('type="checkbox" name="categories"') == len(trained.category_names)
    assert form.count("checked") == len(trained.category_names)
    assert client.get(url, {"category": "Bag"}).content.decode().count("checked") == 1
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, {"categories": ["Bag"], "per_category": 2, "seed": 0, "truncation": 1.0})
    assert response.status_code == 302
    state = client.get(response["Location"] + "state/").json()
    assert state["status"] == "queued" and state["items"] == []
    assert client.post(url, {"categories": ["Bag"], "per_category": 0, "seed": 0, "truncation": 1}).status_code == 400
