"""Decoding uploads cheaply: shrink while decoding, 16-bit without floats, short PNGs refused before decoding,
and a memory budget that makes a burst of decodes queue (core/data/images.py)."""

import io
import struct
import threading
import time
import tracemalloc
import zlib

import numpy as np
import pytest
from PIL import Image

from core.data import images
from core.data.images import MAX_DECODED_SIDE, load_image
from core.errors import InputError


def encode(im, fmt, **kwargs):
    buffer = io.BytesIO()
    im.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def chunk(kind, data):
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def short_png(w=4472, h=4472, bits=8, colour=0, idat=None):
    """A PNG whose header claims w × h pixels with only a few bytes of pixel data."""
    ihdr = struct.pack(">IIBBBBB", w, h, bits, colour, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000) if idat is None else idat
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize("bits, colour", [(1, 0), (8, 0), (8, 2), (16, 0), (8, 6)])
def test_a_png_far_shorter_than_its_header_claims_is_refused_before_decoding(monkeypatch, bits, colour):
    data = short_png(bits=bits, colour=colour)
    assert len(data) < 120
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("decoded a file that cannot be whole"))
    with pytest.raises(InputError, match="damaged or incomplete"):
        load_image(data)


def test_a_flat_png_compressed_as_far_as_deflate_goes_is_still_read():
    data = encode(Image.new("L", (3000, 3000), 0), "PNG", optimize=True)   # about 1000 : 1
    assert load_image(data).size == (1500, 1500)


def test_large_images_are_shrunk_to_at_most_2048_pixels_a_side():
    data = encode(Image.new("RGB", (4100, 1000), (200, 10, 10)), "PNG")
    out = load_image(data)
    assert max(out.size) <= MAX_DECODED_SIDE and out.size == (1367, 334)     # reduced by a whole factor, 3
    assert out.getpixel((10, 10)) == (200, 10, 10)
    assert load_image(data, min_side=None).size == (4100, 1000)             # None keeps the full size


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "HEIF"])
@pytest.mark.parametrize("orientation, shown", [(1, (4100, 1000)), (6, (1000, 4100))])
def test_a_photo_read_smaller_keeps_its_real_size_upright(fmt, orientation, shown):
    """biden.jpg, 970 × 2204, is read at 485 × 1102, and the Classify page called that "your photo 485 × 1102":
    the file's own size is kept, turned as the photo is shown (EXIF orientation 6: a quarter turn)."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = load_image(encode(Image.new("RGB", (4100, 1000), (200, 10, 10)), fmt, exif=exif.tobytes()))
    assert out.size == tuple(-(-side // 3) for side in shown)                    # read at a third of its size
    assert images.original_size(out) == shown


def test_a_photo_read_whole_has_its_own_size():
    out = load_image(encode(Image.new("RGB", (300, 200)), "PNG"))
    assert images.original_size(out) == out.size == (300, 200)
    assert images.original_size(Image.new("L", (7, 5))) == (7, 5)               # any other image: its own size


def test_a_large_jpeg_is_drafted_then_shrunk():
    rng = np.random.default_rng(0)
    data = encode(Image.fromarray(rng.integers(0, 256, (3000, 5000, 3), dtype=np.uint8)), "JPEG", quality=50)
    out = load_image(data)
    assert max(out.size) <= MAX_DECODED_SIDE and min(out.size) >= 512


def test_a_large_16_bit_png_is_rescaled_with_a_table_not_through_floats():
    values = np.full((4000, 5000), 30000, dtype=np.uint16)
    values[:, :2500] = 65535
    data = encode(Image.fromarray(values), "PNG")
    tracemalloc.start()
    try:
        out = load_image(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert out.mode == "L" and max(out.size) <= MAX_DECODED_SIDE
    assert out.getpixel((10, 10)) == 255
    assert out.getpixel((out.size[0] - 10, 10)) == round(30000 / 65535 * 255)
    # numpy's own allocations: the 8-bit copy (20 MB) and small strips; a float64 copy alone would be 160 MB
    assert peak < 40 * 2**20, f"{peak / 2**20:.0f} MB"


def test_the_decode_budget_makes_a_burst_queue():
    budget = images._MemoryBudget(100)
    running, most, lock = [0], [0], threading.Lock()

    def decode():
        with budget.turn(40):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.05)
            with lock:
                running[0] -= 1

    threads = [threading.Thread(target=decode) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 2 and budget.used == 0           # 40 + 40 fit in 100, a third waits its turn


def test_a_decode_larger_than_the_budget_runs_alone():
    budget = images._MemoryBudget(100)
    with budget.turn(10**9):
        assert budget.used == 100
    assert budget.used == 0


def test_a_decode_that_waits_too_long_gets_a_sentence(monkeypatch):
    monkeypatch.setattr(images, "DECODE_WAIT_SECONDS", 0.05)
    budget = images._MemoryBudget(100)
    with budget.turn(100), pytest.raises(InputError, match="busy"):
        with budget.turn(1):
            pass
    assert budget.used == 0


def test_a_failed_decode_gives_its_memory_back():
    with pytest.raises(InputError):
        load_image(encode(Image.new("RGB", (64, 64)), "PNG")[:-40])
    assert images._DECODES.used == 0
