"""The decoded-photo cache: built once, then read; written under a temporary name of its own."""

import threading

import numpy as np

from generation.gan.data import load_cached_dataset, save_arrays_atomically
from tests.factories import png_bytes


def test_two_writers_of_one_cache_never_collide_and_leave_no_temporary_files(tmp_path):
    path = tmp_path / "cache" / "key.npz"
    arrays = [np.full((50, 28, 28, 1), i, np.uint8) for i in range(8)]
    threads = [threading.Thread(target=save_arrays_atomically, args=(path,), kwargs={"images": a}) for a in arrays]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with np.load(path) as cached:
        assert cached["images"].shape == (50, 28, 28, 1) and len(np.unique(cached["images"])) == 1  # one whole file
    assert [p.name for p in path.parent.iterdir()] == ["key.npz"]


def test_the_cache_is_read_back_without_decoding_again(tmp_path):
    reads = []

    def read(i: int):
        reads.append(i)
        return png_bytes(28, 28, "L", i * 10), i

    first = load_cached_dataset(cache_dir=tmp_path, key="k", count=3, read=read, resolution=28, channels=1)
    again = load_cached_dataset(cache_dir=tmp_path, key="k", count=3, read=read, resolution=28, channels=1)
    assert reads == [0, 1, 2] and np.array_equal(first[0], again[0]) and list(again[1]) == [0, 1, 2]


def test_a_portrait_photo_is_padded_with_its_own_background_not_cropped():
    """60x80 with a dark head at the top and dark feet at the bottom on a grey ground: both survive at 32x40,
    and the side margins take the ground's grey, not white."""
    import io

    from PIL import Image

    from generation.gan.data import prepare_image

    photo = Image.new("RGB", (60, 80), (200, 200, 200))
    photo.paste((0, 0, 0), (20, 0, 40, 6))  # head
    photo.paste((0, 0, 0), (20, 74, 40, 80))  # feet
    buffer = io.BytesIO()
    photo.save(buffer, "PNG")
    array = prepare_image(buffer.getvalue(), 40, 3, image_width=32)
    assert array.shape == (40, 32, 3)
    assert array[1, 16].max() < 60 and array[-2, 16].max() < 60  # head and feet kept
    assert abs(int(array[20, 0, 0]) - 200) <= 2  # the margin is the photo's ground

    square = prepare_image(buffer.getvalue(), 28, 1)
    assert square.shape == (28, 28, 1) and square[0, 14, 0] < 100  # a square target pads too: the head stays
