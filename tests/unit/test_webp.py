"""Tests for core/data/webp.py: still WebP photos read by libwebp itself, scaled while decoding.

The reference is Pillow's own WebP reader (libwebp's animation decoder), on the same bytes."""

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from skimage import data as photos

from core.data import images, webp
from core.data.images import load_image

ROOT = Path(__file__).resolve().parents[2]


def encode(picture, **options):
    buffer = io.BytesIO()
    Image.fromarray(picture).save(buffer, format="WEBP", **options)
    return buffer.getvalue()


def pillows(data):
    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im)


def test_libwebp_is_found_and_passes_its_self_check_here():
    assert webp.available()  # else every WebP upload would cost Pillow's 300 MB again


@settings(max_examples=25, deadline=None)
@given(width=st.integers(1, 70), height=st.integers(1, 70), alpha=st.booleans(), lossless=st.booleans(),
       seed=st.integers(0, 2**16))
def test_full_size_decode_equals_pillows_pixel_for_pixel(width, height, alpha, lossless, seed):
    picture = np.random.default_rng(seed).integers(0, 256, (height, width, 4 if alpha else 3), dtype=np.uint8)
    data = encode(picture, lossless=lossless, quality=80)
    np.testing.assert_array_equal(webp.decode(data), pillows(data))


@pytest.mark.parametrize("name", ["astronaut", "chelsea", "coffee"])
@pytest.mark.parametrize("max_side", [300, 200, 150])
def test_a_photo_scaled_while_decoding_is_the_area_average_of_pillows_decode(name, max_side):
    """libwebp's scaler gives each output pixel the mean of the source area it covers, as Pillow's BOX resize of
    the full-size decode does (at the size load_image asks for; not always a whole factor of the photo's)."""
    data = encode(getattr(photos, name)(), quality=85)
    full = Image.open(io.BytesIO(data))
    size = images._shrunk_size(full.size, max_side)
    reference = np.asarray(full.resize(size, Image.Resampling.BOX), dtype=float)
    scaled = webp.decode(data, size)
    assert scaled.shape == reference.shape
    assert np.abs(scaled - reference).mean() < 3  # of 255 (about 1 %): rounding and edge weights; measured 0.8–2.0


def test_an_animation_is_left_to_pillow():
    frames = [Image.new("RGB", (8, 6), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="WEBP", save_all=True, append_images=frames[1:], lossless=True)
    assert webp.decode(buffer.getvalue()) is None and webp.peak_bytes(buffer.getvalue()) is None


def test_damaged_data_raises_value_error_or_is_left_to_pillow():
    data = encode(photos.coffee(), quality=80)
    with pytest.raises(ValueError):
        webp.decode(data[: len(data) // 2])  # the header reads, the picture is cut short
    assert webp.decode(b"RIFF\x00\x00\x00\x00WEBPVP8 not a picture") is None  # no header: Pillow says why


def test_a_size_larger_than_the_photo_is_refused():
    with pytest.raises(ValueError, match="smaller"):
        webp.decode(encode(photos.coffee()), (1000, 1000))


def test_an_upload_read_by_libwebp_is_the_one_pillow_reads_scaled(monkeypatch):
    big = np.asarray(Image.fromarray(photos.astronaut()).resize((2600, 2600), Image.Resampling.BICUBIC))
    data = encode(big, quality=90)
    ours = load_image(data)
    monkeypatch.setattr(webp, "available", lambda: False)  # Pillow's path, as before this module
    theirs = load_image(data)
    assert ours.mode == theirs.mode == "RGB" and ours.size == theirs.size == (1300, 1300)
    assert np.abs(np.asarray(ours, dtype=float) - np.asarray(theirs)).mean() < 2.0


def test_an_upload_with_transparency_is_painted_on_white_and_turned_upright():
    picture = np.zeros((20, 40, 4), dtype=np.uint8)
    picture[:, :20] = (255, 0, 0, 255)  # opaque red on the left
    picture[:, 20:] = (0, 0, 255, 0)  # transparent on the right
    exif = Image.Exif()
    exif[0x0112] = 6  # turn 90° clockwise to show
    out = np.asarray(load_image(encode(picture, lossless=True, exact=True, exif=exif.tobytes())))
    assert out.shape == (40, 20, 3)  # upright: the left half is now on top
    np.testing.assert_array_equal(out[:20], np.broadcast_to([255, 0, 0], (20, 20, 3)))
    np.testing.assert_array_equal(out[20:], 255)


def test_another_abi_major_version_falls_back_to_pillow(monkeypatch):
    data = encode(photos.coffee(), quality=80)
    monkeypatch.setattr(webp, "_ABI_VERSION", 0x0309)  # libwebp refuses a decoder ABI it does not have
    assert webp.decode(data) is None
    assert load_image(data).size == (600, 400)


def test_a_20_megapixel_webp_is_read_in_a_tenth_of_pillows_memory(tmp_path):
    """In a fresh interpreter: the peak resident memory while reading a 5000 × 4000 lossy WebP with transparency
    (the costliest still kind), measured by the kernel (VmHWM), against Pillow's reader of the same bytes."""
    small = np.random.default_rng(0).integers(0, 256, (80, 100, 4), dtype=np.uint8)
    big = Image.fromarray(small, "RGBA").resize((5000, 4000), Image.Resampling.BILINEAR)
    path = tmp_path / "big.webp"
    big.save(path, "WEBP", quality=80, method=0)  # encoded once, fast; both readers read these bytes
    del big
    script = """
import sys
from pathlib import Path
from core.data import images, webp
data = Path(sys.argv[2]).read_bytes()
if sys.argv[1] == "pillow":
    webp.available = lambda: False
status = lambda key: [int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(key)][0]
open("/proc/self/clear_refs", "w").write("5")
before = status("VmRSS")
images.load_image(data)
print((status("VmHWM") - before) // 1024)
"""
    peaks = {}
    for reader in ("libwebp", "pillow"):
        run = subprocess.run([sys.executable, "-c", script, reader, str(path)], cwd=ROOT, capture_output=True,
                             text=True, check=True)
        peaks[reader] = int(run.stdout.split()[-1])
    assert peaks["libwebp"] <= 120, peaks  # MB; measured 95 (the alpha plane at full size, the picture scaled)
    assert peaks["pillow"] >= 2 * peaks["libwebp"], peaks  # measured 300


_SEEDS = [encode(np.random.default_rng(1).integers(0, 256, (16, 24, channels), dtype=np.uint8), **options)
          for channels in (3, 4) for options in ({"quality": 80}, {"lossless": True})]


@settings(max_examples=120, deadline=None)
@given(seed=st.sampled_from(_SEEDS), changes=st.lists(
    st.tuples(st.integers(12, 10_000), st.integers(0, 255), st.booleans()), min_size=1, max_size=6))
def test_damaged_webp_files_read_by_libwebp_give_an_image_or_a_sentence(seed, changes):
    """Bytes changed or cut after the RIFF header (so the file still opens as a WebP and reaches libwebp)."""
    data = bytearray(seed)
    for where, value, cut in changes:
        where %= len(data)
        if cut:
            del data[where:where + value % 40 + 1]
        else:
            data[where] = value
    try:
        out = load_image(bytes(data))
    except images.InputError as err:
        assert str(err).endswith(".") and "\n" not in str(err)
    else:
        assert out.mode in ("L", "RGB") and min(out.size) >= 1
