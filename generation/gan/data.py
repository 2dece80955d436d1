"""Training images as one cached uint8 array, so an epoch costs compute, not file decoding."""

import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image


def dataset_key(image_ids: Sequence[str], resolution: int, channels: int, image_width: int | None = None) -> str:
    """Names the cache by the exact set of images (their content hashes) and the target shape."""
    digest = hashlib.sha256(f"{image_width or resolution}x{resolution}x{channels}:fit-padded:".encode())
    for image_id in sorted(image_ids):
        digest.update(image_id.encode())
    return digest.hexdigest()[:32]


def prepare_image(data: bytes, resolution: int, channels: int, image_width: int | None = None) -> np.ndarray:
    """Decodes, flattens transparency onto white, pads to the target's shape and resizes to `image_width` x
    `resolution`: (H, W, C) uint8. Padding, not cropping: a portrait photo keeps its model's head and feet.
    The margin takes the photo's own background, the median colour of its border."""
    width = image_width or resolution
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (width * 2, resolution * 2))
        if image.mode in ("RGBA", "LA", "P"):
            rgba = image.convert("RGBA")
            image = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            image.alpha_composite(rgba)
        image = image.convert("L" if channels == 1 else "RGB")
        image = _padded_to_aspect(image, width / resolution)
        if image.size != (width, resolution):
            image = image.resize((width, resolution), Image.Resampling.LANCZOS)
        array = np.asarray(image, dtype=np.uint8)
    return array[:, :, None] if channels == 1 else array


def _padded_to_aspect(image: Image.Image, aspect: float) -> Image.Image:
    """`image` centred on a canvas of width/height `aspect`, just large enough to hold it."""
    width, height = image.size
    target_w, target_h = max(width, round(height * aspect)), max(height, round(width / aspect))
    if (target_w, target_h) == (width, height):
        return image
    pixels = np.asarray(image)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]]).reshape(-1, len(image.getbands()))
    colour = tuple(int(v) for v in np.median(border, axis=0))
    canvas = Image.new(image.mode, (target_w, target_h), colour[0] if image.mode == "L" else colour)
    canvas.paste(image, ((target_w - width) // 2, (target_h - height) // 2))
    return canvas


def load_cached_dataset(
    *,
    cache_dir: Path,
    key: str,
    count: int,
    read: Callable[[int], tuple[bytes, int]],
    resolution: int,
    channels: int,
    image_width: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, H, W, C) uint8 and labels (N,) int64, decoded once and then read from `cache_dir/key.npz`."""
    path = Path(cache_dir) / f"{key}.npz"
    if path.exists():
        with np.load(path) as cached:
            return cached["images"], cached["labels"]
    images = np.empty((count, resolution, image_width or resolution, channels), dtype=np.uint8)
    labels = np.empty(count, dtype=np.int64)
    for i in range(count):
        data, labels[i] = read(i)
        images[i] = prepare_image(data, resolution, channels, image_width)
        if progress and (i % 1000 == 0 or i == count - 1):
            progress(i + 1, count)
    save_arrays_atomically(path, images=images, labels=labels)
    return images, labels


def save_arrays_atomically(path: Path, **arrays: np.ndarray) -> None:
    """Written under a temporary name of its own, then renamed: two workers building the same cache at once
    each write their own file, and a reader never sees half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
