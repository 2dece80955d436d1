"""Checks and stores product images: content-sniffed type, byte and pixel limits, content-addressed files."""

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError

from retail_studio.sizes import human_size

# Formats a browser shows and Pillow decodes safely; the extension of an upload is never trusted.
ALLOWED_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
ALLOWED_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16"}


class ImageRejected(ValueError):
    """The bytes are not an image we accept; the message says why, for the person who sent them."""


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    format: str
    width: int
    height: int
    mode: str
    sha256: str

    @property
    def storage_name(self) -> str:
        # Content-addressed: the same photo imported twice is stored once.
        return f"products/{self.sha256[:2]}/{self.sha256}.{ALLOWED_FORMATS[self.format]}"


def check_image_bytes(data: bytes, *, max_bytes: int, max_pixels: int) -> CheckedImage:
    if len(data) > max_bytes:
        raise ImageRejected(gettext("is larger than the limit of %(max_bytes)s") % {"max_bytes": human_size(max_bytes)})
    if not data:
        raise ImageRejected(gettext("is empty"))
    try:
        # open() reads the header only, so the pixel count is known before anything is decoded.
        with Image.open(io.BytesIO(data)) as image:
            image_format, (width, height), mode = image.format, image.size, image.mode
            if image_format not in ALLOWED_FORMATS:
                raise ImageRejected(
                    gettext("is a %(image_format)s image; accepted types are PNG, JPEG, WebP and GIF")
                    % {"image_format": image_format}
                )
            if width * height > max_pixels:
                raise ImageRejected(
                    gettext(
                        "has %(width)s×%(height)s = %(pixels)s pixels; the limit is %(max_pixels)s (a decompression bomb or an oversized photo)"
                    )
                    % {
                        "width": width,
                        "height": height,
                        "pixels": f"{width * height:,}",
                        "max_pixels": f"{max_pixels:,}",
                    }
                )
            if mode not in ALLOWED_MODES:
                raise ImageRejected(gettext("has the unsupported colour mode %(mode)s") % {"mode": mode})
            image.verify()
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise ImageRejected(
            gettext("has more pixels than the limit of %(max_pixels)s (a decompression bomb)")
            % {"max_pixels": f"{max_pixels:,}"}
        ) from None
    except UnidentifiedImageError:
        raise ImageRejected(gettext("is not an image (its content is not PNG, JPEG, WebP or GIF)")) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected(gettext("is damaged and cannot be read (%(error)s)") % {"error": exc}) from None
    return CheckedImage(data, image_format, width, height, mode, hashlib.sha256(data).hexdigest())


def check_catalog_image(data: bytes) -> CheckedImage:
    """check_image_bytes under this deployment's limits, as every image entering the catalog is checked."""
    return check_image_bytes(
        data, max_bytes=settings.CATALOG_MAX_IMAGE_BYTES, max_pixels=settings.CATALOG_MAX_IMAGE_PIXELS
    )


def store_image_file(image: CheckedImage) -> bool:
    """Writes the file unless the same content is stored already; returns whether it wrote one."""
    if default_storage.exists(image.storage_name):
        return False
    default_storage.save(image.storage_name, ContentFile(image.data))
    return True


def encode_png(image: Image.Image) -> CheckedImage:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    data = buffer.getvalue()
    return CheckedImage(data, "PNG", image.width, image.height, image.mode, hashlib.sha256(data).hexdigest())


def png_of_array(array) -> bytes:
    """PNG bytes of an (H, W, C) uint8 array with 1 or 3 channels."""
    return encode_png(Image.fromarray(array[:, :, 0] if array.shape[2] == 1 else array)).data


def make_thumbnail(source: bytes, *, size: int) -> bytes:
    """A WebP no larger than size×size, keeping the aspect ratio and any transparency."""
    with Image.open(io.BytesIO(source)) as image:
        image.draft("RGB", (size, size))  # JPEG decodes at reduced scale: much faster for large photos.
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if "transparency" in image.info or image.mode == "P" else "RGB")
        image.thumbnail((size, size), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP", quality=85)
        return buffer.getvalue()
