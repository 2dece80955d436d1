"""Writes to the catalog: image storage, the demo catalog and the all-or-nothing CSV import."""

import csv
import io
import logging
import random
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from catalog.idx import read_idx
from catalog.imaging import (
    CheckedImage,
    ImageRejected,
    check_image_bytes,
    encode_png,
    store_image_file,
)
from catalog.import_sources import ImageSource
from catalog.models import Category, Product, ProductImage
from catalog.tasks import product_image_thumbnail_task
from catalog.thumbnails import needs_thumbnail
from retail_studio.errors import StudioError

logger = logging.getLogger(__name__)

FASHION_MNIST_CATEGORIES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip
ProgressFn = Callable[[int, int], None]


# --- images -------------------------------------------------------------------------------------------------


def product_image_build(
    *, product: Product, image: CheckedImage, source: str = ProductImage.Source.PHOTO, position: int = 0, **extra
) -> ProductImage:
    """An unsaved ProductImage for a stored file; callers save it alone or in bulk."""
    return ProductImage(
        product=product,
        file=image.storage_name,
        width=image.width,
        height=image.height,
        mode=image.mode,
        sha256=image.sha256,
        source=source,
        position=position,
        **extra,
    )


def thumbnails_after_commit(images: list[ProductImage]) -> None:
    """Large photos get a thumbnail from a worker once the rows are committed; small ones are their own.
    Robust: a broker that is down then is logged, never undoes the commit; the sweep sends them later."""
    ids = [image.pk for image in images if needs_thumbnail(image)]
    if ids:
        transaction.on_commit(lambda: [product_image_thumbnail_task.delay(image_id) for image_id in ids], robust=True)


def product_draft_create(*, category: Category, title: str) -> Product:
    """A new draft product, made by a reviewer who attaches an approved generated image to it."""
    title = title.strip()
    if not title:
        raise StudioError("Give the new product a title.")
    if len(title) > Product._meta.get_field("title").max_length:
        raise StudioError("That title is too long.")
    return Product.objects.create(
        sku=f"DRAFT-{uuid.uuid4().hex[:10].upper()}", title=title, category=category, status=Product.Status.DRAFT
    )


# --- demo catalog -------------------------------------------------------------------------------------------

_COLOURS = ("black", "white", "navy", "grey", "beige", "red", "olive", "brown", "pink", "teal")
_MATERIALS = ("cotton", "wool", "linen", "denim", "leather", "polyester", "canvas", "suede", "silk", "fleece")
_SEASONS = ("spring", "summer", "autumn", "winter", "all-season")
_AUDIENCES = ("women", "men", "unisex", "kids")


@dataclass
class DemoLoadResult:
    created: int = 0
    skipped: int = 0


def demo_source_dir(requested: Path | None = None) -> Path:
    """The full Fashion-MNIST set when it is beside the project, else the subset shipped in the repository."""
    if requested is not None:
        return requested
    if (settings.DEMO_DATA_DIR / "train-images-idx3-ubyte.gz").exists():
        return settings.DEMO_DATA_DIR
    return settings.DEMO_FALLBACK_DIR


def _interleaved_order(labels: np.ndarray) -> np.ndarray:
    """Indices ordered round-robin over categories, so any prefix (a --limit) holds every category."""
    rank_in_class = np.zeros(len(labels), dtype=np.int64)
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        rank_in_class[members] = np.arange(len(members))
    return np.lexsort((labels, rank_in_class))


def _demo_product(sku: str, split: str, index: int, category: Category) -> Product:
    rng = random.Random(sku)
    attributes = {
        "colour": rng.choice(_COLOURS),
        "material": rng.choice(_MATERIALS),
        "season": rng.choice(_SEASONS),
        "audience": rng.choice(_AUDIENCES),
        "source": "fashion-mnist",
        "source_index": index,
    }
    title = f"{attributes['colour'].title()} {attributes['material']} {category.name.lower()}"
    description = (
        f"{title} for {attributes['audience']}, {attributes['season']} collection. "
        f"Demo product from Fashion-MNIST ({split} image {index})."
    )
    product = Product(
        sku=sku, title=title, description=description, category=category, attributes=attributes, split=split
    )
    product.search_text = product.build_search_text()
    return product


def demo_catalog_load(*, source: Path, limit: int | None = None, progress: ProgressFn | None = None) -> DemoLoadResult:
    """Imports Fashion-MNIST as products; idempotent, since a product is keyed by its split and index."""
    splits = []
    for split, prefix in ((Product.Split.TRAIN, "train"), (Product.Split.TEST, "t10k")):
        images_path = source / f"{prefix}-images-idx3-ubyte.gz"
        if not images_path.exists():
            continue
        images = read_idx(images_path)
        labels = read_idx(source / f"{prefix}-labels-idx1-ubyte.gz")
        if len(images) != len(labels):
            raise ValueError(f"{images_path} has {len(images)} images but {len(labels)} labels")
        order = _interleaved_order(labels)[:limit]
        splits.append((split, images, labels, order))
    if not splits:
        raise FileNotFoundError(f"No Fashion-MNIST IDX files in {source}")

    categories = [Category.objects.get_or_create(name=name)[0] for name in FASHION_MNIST_CATEGORIES]
    existing = set(Product.objects.filter(sku__startswith="FM-").values_list("sku", flat=True))
    total = sum(len(order) for *_, order in splits)
    result, done = DemoLoadResult(), 0
    batch_size = 2000
    for split, images, labels, order in splits:
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            products, pixels = [], []
            for index in batch.tolist():
                sku = f"FM-{split.upper()}-{index:05d}"
                if sku in existing:
                    result.skipped += 1
                    continue
                products.append(_demo_product(sku, split, index, categories[int(labels[index])]))
                pixels.append(images[index])
            if products:
                with transaction.atomic():
                    Product.objects.bulk_create(products)
                    new_images = []
                    for product, array in zip(products, pixels, strict=True):
                        image = encode_png(Image.fromarray(array, mode="L"))
                        store_image_file(image)
                        new_images.append(product_image_build(product=product, image=image))
                    ProductImage.objects.bulk_create(new_images)
                result.created += len(products)
            done += len(batch)
            if progress:
                progress(done, total)
    return result


# --- CSV import ---------------------------------------------------------------------------------------------

SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
CORE_COLUMNS = {"sku", "title", "description", "category", "status", "split", "image", "images"}
REQUIRED_COLUMNS = ("sku", "title", "category")


@dataclass(frozen=True)
class ImportProblem:
    message: str
    row: int | None = None  # 1-based line number in the CSV, the header being line 1
    file: str | None = None

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"row {self.row}" if self.row else "", self.file or "") if part)
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    problems: list[ImportProblem] = field(default_factory=list)
    products_created: int = 0
    images_created: int = 0
    categories_created: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without a BOM) and UTF-16 with a BOM, else Windows-1252 as spreadsheets often save."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ValueError("The CSV is neither UTF-8 nor Windows-1252 text; save it as UTF-8 and try again.") from None


@dataclass
class _PlannedRow:
    line: int
    product: Product
    category_name: str
    image_names: list[str]


def _plan_rows(text: str, images: ImageSource | None, report: ImportReport) -> list[_PlannedRow]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        report.problems.append(ImportProblem("The CSV is empty; its first line must name the columns."))
        return []
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
    missing = [column for column in REQUIRED_COLUMNS if column not in reader.fieldnames]
    if missing:
        report.problems.append(ImportProblem(f"The CSV has no column named {', '.join(missing)}.", row=1))
        return []
    attribute_columns = [c for c in reader.fieldnames if c and c not in CORE_COLUMNS]
    stems = {}
    if images is not None:
        for name in images.names():
            stems.setdefault(Path(name).stem, []).append(name)

    planned, seen = [], {}
    for row in reader:
        line = reader.line_num
        if None in row:
            report.problems.append(ImportProblem("has more values than the header has columns", row=line))
            continue
        values = {key: (value or "").strip() for key, value in row.items()}
        sku, title, category = values["sku"], values["title"], values["category"]
        if not SKU_PATTERN.match(sku):
            report.problems.append(
                ImportProblem(f"SKU {sku!r} is missing or invalid (letters, digits, . _ / -; 64 at most)", row=line)
            )
        elif sku in seen:
            report.problems.append(ImportProblem(f"SKU {sku} appears twice (also on row {seen[sku]})", row=line))
        else:
            seen[sku] = line
        if not title or len(title) > 255:
            report.problems.append(ImportProblem("title is missing or longer than 255 characters", row=line))
        if not category or len(category) > 100:
            report.problems.append(ImportProblem("category is missing or longer than 100 characters", row=line))
        status = values.get("status") or Product.Status.ACTIVE
        if status not in Product.Status.values:
            report.problems.append(ImportProblem(f"status {status!r} is not one of {', '.join(Product.Status.values)}", row=line))
        split = values.get("split") or Product.Split.TRAIN
        if split not in Product.Split.values:
            report.problems.append(ImportProblem(f"split {split!r} is not train or test", row=line))

        named = [n.strip() for n in re.split(r"[;|]", values.get("image") or values.get("images") or "") if n.strip()]
        if not named and images is not None:
            named = stems.get(sku, [])
            if not named:
                report.problems.append(ImportProblem(f"no image found: name one in the image column or add {sku}.jpg", row=line))
        for name in named:
            if images is None:
                report.problems.append(ImportProblem("names an image but no images were uploaded", row=line, file=name))
            elif name not in images.readers:
                report.problems.append(ImportProblem("image is missing from the upload", row=line, file=name))
            elif name in images.ambiguous:
                report.problems.append(ImportProblem("several files in the upload have this name", row=line, file=name))
        attributes = {column: values[column] for column in attribute_columns if values.get(column)}
        product = Product(
            sku=sku, title=title, description=values.get("description", ""), attributes=attributes,
            status=status, split=split,
        )  # fmt: skip
        planned.append(_PlannedRow(line, product, category, named))

    if not planned and not report.problems:
        report.problems.append(ImportProblem("The CSV has a header but no products."))
    taken = Product.objects.filter(sku__in=list(seen)).values_list("sku", flat=True)
    for sku in taken:
        report.problems.append(ImportProblem(f"SKU {sku} already exists in the catalog", row=seen[sku]))
    return planned


def catalog_import(*, csv_data: bytes, images: ImageSource | None = None) -> ImportReport:
    """Validates every row and image first and writes only when nothing is wrong: all or nothing."""
    report = ImportReport()
    try:
        text = decode_csv(csv_data)
    except ValueError as exc:
        report.problems.append(ImportProblem(str(exc)))
        return report
    if images is not None:
        report.problems.extend(ImportProblem(message, file=name) for name, message in images.problems)
    try:
        planned = _plan_rows(text, images, report)
    except csv.Error as exc:
        report.problems.append(ImportProblem(f"The CSV cannot be read: {exc}"))
        return report

    checked: dict[str, CheckedImage] = {}
    for row in planned:
        for name in row.image_names:
            if name in checked or images is None or name not in images.readers or name in images.ambiguous:
                continue
            try:
                checked[name] = check_image_bytes(
                    images.read(name),
                    max_bytes=settings.CATALOG_MAX_IMAGE_BYTES,
                    max_pixels=settings.CATALOG_MAX_IMAGE_PIXELS,
                )
            except ImageRejected as exc:
                report.problems.append(ImportProblem(str(exc), row=row.line, file=name))
    if report.problems:
        return report

    written: list[str] = []
    try:
        with transaction.atomic():
            categories = {}
            for name in sorted({row.category_name for row in planned}):
                categories[name], created = Category.objects.get_or_create(name=name)
                report.categories_created += created
            for row in planned:
                row.product.category = categories[row.category_name]
                row.product.search_text = row.product.build_search_text()
            Product.objects.bulk_create([row.product for row in planned])
            new_images = []
            for row in planned:
                for position, name in enumerate(row.image_names):
                    image = checked[name]
                    if store_image_file(image):
                        written.append(image.storage_name)
                    new_images.append(product_image_build(product=row.product, image=image, position=position))
            ProductImage.objects.bulk_create(new_images)
            thumbnails_after_commit(new_images)
    except Exception:
        # Nothing may be left behind by a failed import, files included.
        for name in written:
            default_storage.delete(name)
        raise
    report.products_created = len(planned)
    report.images_created = len(new_images)
    logger.info("Imported %d products with %d images", report.products_created, report.images_created)
    return report


# --- demo users ---------------------------------------------------------------------------------------------

DEMO_USERS = (
    ("merchandiser", "merchandiser", "studio-merch"),
    ("reviewer", "reviewer", "studio-review"),
    ("admin", "admin", "studio-admin"),
)


def demo_users_ensure() -> list[tuple[str, str, str]]:
    """One login per role; an existing user keeps the password it has (so a changed one stays changed)."""
    User = get_user_model()
    for username, role, password in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": role == "admin", "is_superuser": role == "admin"}
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=role))
    return list(DEMO_USERS)
