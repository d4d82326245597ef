"""Tests for core/data/images.py. Every test image is made in memory with Pillow and numpy."""

import io
import re
import struct
import warnings
import zlib
from types import SimpleNamespace

import numpy as np
import pillow_heif
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from core.data import images
from core.data.images import (
    ALLOWED_EXTENSIONS,
    ALLOWED_FORMATS,
    MAX_FILE_BYTES,
    MAX_PIXELS,
    crop_zoom,
    image_to_bytes_png,
    load_image,
    preprocess,
    preprocess_steps,
    thumbnail,
    to_mode,
)
from core.errors import InputError

RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)


def encode(im, fmt, **kwargs):
    """The bytes of `im` saved as `fmt`, as a student's upload would arrive."""
    buffer = io.BytesIO()
    im.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def noisy_rgb(w, h, seed=0):
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8))


def assert_student_message(err):
    """One plain sentence: no traceback, no exception class, no second sentence."""
    msg = str(err.value) if hasattr(err, "value") else str(err)
    assert msg and msg[0].isupper() and msg.endswith("."), msg
    assert "\n" not in msg, msg
    assert re.search(r"[.!?]\s+[A-Z]", msg) is None, f"more than one sentence: {msg}"
    for word in ("Traceback", "Error", "Exception", "PIL", "errno", "line "):
        assert word not in msg, msg


def rejected(data):
    with pytest.raises(InputError) as err:
        load_image(data)
    assert_student_message(err)
    return str(err.value)


# ------------------------------------------------------------ constants ----


def test_constants_for_the_ui():
    assert MAX_FILE_BYTES == 10 * 1024 * 1024
    assert MAX_PIXELS == 20_000_000
    assert ALLOWED_FORMATS == ("PNG", "JPEG", "GIF", "WEBP", "BMP", "AVIF", "HEIF")
    assert ALLOWED_EXTENSIONS == ["png", "jpg", "jpeg", "gif", "webp", "bmp", "heic", "heif", "avif"]


# -------------------------------------------------------- formats and modes ----


def test_png_rgb_keeps_pixels():
    im = noisy_rgb(30, 20)
    out = load_image(encode(im, "PNG"))
    assert out.mode == "RGB" and out.size == (30, 20)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(im))


def test_jpeg_rgb():
    out = load_image(encode(Image.new("RGB", (40, 30), RED), "JPEG"))
    assert out.mode == "RGB" and out.size == (40, 30)
    r, g, b = np.asarray(out)[15, 20]
    assert r > 240 and g < 15 and b < 15


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "BMP"])
def test_grayscale_stays_grayscale(fmt):
    gray = Image.fromarray(np.tile(np.arange(0, 256, 4, dtype=np.uint8), (10, 1)))
    out = load_image(encode(gray, fmt))
    assert out.mode == "L" and out.size == (64, 10)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_rgba_transparent_area_becomes_white_not_the_hidden_colour(fmt):
    arr = np.zeros((10, 20, 4), dtype=np.uint8)
    arr[:, :10] = (255, 0, 0, 0)  # fully transparent, hidden colour red
    arr[:, 10:] = (0, 0, 0, 255)  # opaque black
    save_options = {"lossless": True, "exact": True} if fmt == "WEBP" else {}
    out = load_image(encode(Image.fromarray(arr, "RGBA"), fmt, **save_options))
    assert out.mode == "RGB"
    np.testing.assert_array_equal(np.asarray(out)[:, :10], 255)
    np.testing.assert_array_equal(np.asarray(out)[:, 10:], 0)


def test_rgba_half_transparent_black_becomes_mid_gray():
    out = load_image(encode(Image.new("RGBA", (4, 4), (0, 0, 0, 128)), "PNG"))
    assert np.all(np.abs(np.asarray(out).astype(int) - 127) <= 1)


def test_la_becomes_grayscale_on_white():
    arr = np.zeros((8, 8, 2), dtype=np.uint8)
    arr[:, :4] = (0, 0)  # black but fully transparent
    arr[:, 4:] = (50, 255)  # opaque dark gray
    out = load_image(encode(Image.fromarray(arr, "LA"), "PNG"))
    assert out.mode == "L"
    np.testing.assert_array_equal(np.asarray(out)[:, :4], 255)
    np.testing.assert_array_equal(np.asarray(out)[:, 4:], 50)


def palette_image():
    """Left half palette index 0 (red), right half index 1 (blue)."""
    im = Image.new("P", (10, 4), 0)
    im.putpalette([*RED, *BLUE] + [0] * (256 - 2) * 3)
    im.paste(1, (5, 0, 10, 4))
    return im


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "BMP"])
def test_palette_without_transparency(fmt):
    out = load_image(encode(palette_image(), fmt))
    assert out.mode == "RGB"
    assert tuple(np.asarray(out)[0, 0]) == RED and tuple(np.asarray(out)[0, 9]) == BLUE


@pytest.mark.parametrize("fmt", ["PNG", "GIF"])
def test_palette_with_transparency_becomes_white(fmt):
    out = load_image(encode(palette_image(), fmt, transparency=0))  # red is transparent
    assert out.mode == "RGB"
    assert tuple(np.asarray(out)[0, 0]) == WHITE and tuple(np.asarray(out)[0, 9]) == BLUE


def test_cmyk_jpeg_becomes_rgb():
    cyan = Image.new("CMYK", (16, 16), (255, 0, 0, 0))
    out = load_image(encode(cyan, "JPEG"))
    assert out.mode == "RGB"
    r, g, b = np.asarray(out)[8, 8].astype(int)
    assert r < 20 and g > 235 and b > 235


def test_one_bit_becomes_black_and_white_grayscale():
    im = Image.new("1", (8, 8), 0)
    im.paste(1, (4, 0, 8, 8))
    out = load_image(encode(im, "PNG"))
    assert out.mode == "L"
    assert set(np.unique(np.asarray(out))) == {0, 255}


def test_16_bit_png_is_rescaled_not_clipped():
    values = np.array([[0, 1000, 32768, 65535]], dtype=np.uint16)
    data = encode(Image.fromarray(values), "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I;16")  # really a 16-bit file
    out = load_image(data)
    assert out.mode == "L"
    np.testing.assert_array_equal(np.asarray(out)[0], [0, 4, 128, 255])  # 1000 -> 3.9, not 255


def test_32_bit_int_and_float_images_are_scaled_by_their_maximum():
    as_int = Image.fromarray(np.array([[0, 500, 1000]], dtype=np.int32), "I")
    as_float = Image.fromarray(np.array([[0.0, 0.25, 0.5]], dtype=np.float32), "F")
    np.testing.assert_array_equal(np.asarray(to_mode(as_int, 1))[0], [0, 128, 255])
    np.testing.assert_array_equal(np.asarray(to_mode(as_float, 1))[0], [0, 128, 255])


def test_animated_gif_uses_the_first_frame():
    frames = [Image.new("RGB", (12, 12), RED), Image.new("RGB", (12, 12), BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(io.BytesIO(data)).n_frames == 2
    out = load_image(data)
    assert tuple(np.asarray(out)[6, 6]) == RED


def test_animated_webp_uses_the_first_frame():
    frames = [Image.new("RGB", (12, 12), RED), Image.new("RGB", (12, 12), BLUE)]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    r, g, b = np.asarray(load_image(data))[6, 6]
    assert r > 240 and b < 15


def test_exif_orientation_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    data = encode(Image.new("RGB", (40, 20), RED), "JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).size == (40, 20)
    assert load_image(data).size == (20, 40)


# ------------------------------------------------ phones' formats: HEIC (HEIF) and AVIF ----


def smooth_rgb(w, h):
    """A photo-like picture (gradients, no noise) that lossy codecs keep close to its pixels."""
    y, x = np.mgrid[0:h, 0:w]
    return Image.fromarray(np.stack([x * 255 // w, y * 255 // h, (x + y) * 255 // (w + h)], -1).astype(np.uint8))


@pytest.mark.parametrize("fmt", ["HEIF", "AVIF"])
def test_heic_and_avif_photos_are_read_close_to_their_pixels(fmt):
    source = smooth_rgb(96, 64)
    out = load_image(encode(source, fmt, quality=90))
    assert out.mode == "RGB" and out.size == (96, 64)
    error = np.abs(np.asarray(out, dtype=float) - np.asarray(source, dtype=float))
    assert error.mean() < 3 and error.max() < 40  # lossy (4:2:0 colour) but the same picture


@pytest.mark.parametrize("fmt", ["HEIF", "AVIF"])
def test_grayscale_heic_and_avif_stay_grayscale(fmt):
    out = load_image(encode(smooth_rgb(32, 32).convert("L"), fmt, quality=90))
    assert out.mode == "L" and out.size == (32, 32)


@pytest.mark.parametrize("fmt", ["HEIF", "AVIF"])
def test_transparent_heic_and_avif_areas_become_white(fmt):
    im = Image.new("RGBA", (16, 16), (0, 0, 0, 0))
    im.paste((255, 0, 0, 255), (0, 0, 8, 16))
    out = np.asarray(load_image(encode(im, fmt, quality=95)))
    assert out[8, 3].tolist() == pytest.approx([255, 0, 0], abs=12)
    assert out[8, 12].tolist() == pytest.approx([255, 255, 255], abs=12)


@pytest.mark.parametrize("fmt", ["HEIF", "AVIF", "JPEG"])
def test_a_sideways_phone_photo_is_turned_upright_once_in_every_format(fmt):
    """EXIF orientation 6 (turn 90° clockwise to show): HEIF stores it as a rotation that libheif applies, AVIF
    and JPEG as the EXIF tag that load_image applies; all three must give the same upright picture."""
    picture = np.zeros((20, 40, 3), np.uint8)
    picture[:, :10] = RED  # the left quarter red: upright, it becomes the top quarter
    exif = Image.Exif()
    exif[0x0112] = 6
    out = np.asarray(load_image(encode(Image.fromarray(picture), fmt, quality=95, exif=exif.tobytes())))
    assert out.shape == (40, 20, 3)
    assert out[4, 10].tolist() == pytest.approx(list(RED), abs=30)      # top: red
    assert out[35, 10].tolist() == pytest.approx([0, 0, 0], abs=30)     # bottom: black


def test_a_heic_with_several_pictures_shows_its_primary_one():
    """A phone's HEIC may hold more than one picture; the primary one is the photo the phone shows."""
    heif = pillow_heif.from_pillow(Image.new("RGB", (20, 20), RED))
    heif.add_from_pillow(Image.new("RGB", (30, 10), BLUE))
    buffer = io.BytesIO()
    heif.save(buffer, primary_index=1)
    out = load_image(buffer.getvalue())
    assert out.size == (30, 10) and out.getpixel((5, 5))[2] > 240


def test_a_heic_whose_main_brand_is_mif1_is_read():
    data = encode(smooth_rgb(40, 30), "HEIF")
    assert data[8:12] == b"heic"
    assert load_image(data[:8] + b"mif1" + data[12:]).size == (40, 30)


def test_a_ten_bit_heic_is_read_as_eight_bits():
    values = np.asarray(smooth_rgb(40, 30)).astype(np.uint16) * 257  # 16-bit values, saved as 10-bit HEVC
    heif = pillow_heif.from_bytes(mode="RGB;16", size=(40, 30), data=values.tobytes())
    buffer = io.BytesIO()
    heif.save(buffer, quality=95)
    out = load_image(buffer.getvalue())
    assert out.mode == "RGB"
    assert np.abs(np.asarray(out, dtype=float) - np.asarray(smooth_rgb(40, 30), dtype=float)).mean() < 3


@pytest.fixture(scope="module")
def huge_flat():
    """21 megapixels of one colour, in each phone format: a few kB each."""
    return {fmt: encode(Image.new("L", (4600, 4600)), fmt) for fmt in ("HEIF", "AVIF")}


@pytest.mark.parametrize("fmt", ["HEIF", "AVIF"])
def test_heic_and_avif_pixel_limit_is_checked_on_the_header(huge_flat, fmt):
    data = huge_flat[fmt]
    assert len(data) < 10_000
    assert "4600 × 4600" in rejected(data)
    if fmt == "HEIF":  # the picture's size is in the header, before the picture's data: cut there, same answer
        assert "4600 × 4600" in rejected(data[:600])


@pytest.mark.parametrize("fmt", ["HEIF", "AVIF"])
def test_truncated_heic_and_avif_are_damaged(fmt):
    data = encode(smooth_rgb(64, 48), fmt)
    for cut in (40, len(data) // 2, len(data) - 3):
        assert "damaged" in rejected(data[:cut])


def test_multi_picture_jpeg_from_phones_is_accepted():
    frames = [Image.new("RGB", (16, 8), RED), Image.new("RGB", (16, 8), BLUE)]
    data = encode(frames[0], "MPO", save_all=True, append_images=frames[1:])
    out = load_image(data)
    assert out.mode == "RGB" and out.size == (16, 8)
    assert np.asarray(out)[4, 8, 0] > 240


def test_one_pixel_image_is_fine_and_can_be_preprocessed():
    out = load_image(encode(Image.new("RGB", (1, 1), BLUE), "PNG"))
    assert out.size == (1, 1)
    x = preprocess(out, 64, 3)
    assert x.shape == (64 * 64 * 3, 1)
    np.testing.assert_allclose(x.reshape(64, 64, 3)[10, 10], [0, 0, 1])


def test_large_jpeg_is_decoded_at_reduced_scale_but_keeps_enough_pixels():
    data = encode(noisy_rgb(2400, 1800), "JPEG")
    small = load_image(data)
    assert min(small.size) >= 512 and small.size[0] < 2400
    assert load_image(data, min_side=None).size == (2400, 1800)


def test_result_does_not_depend_on_the_bytes_object():
    data = bytearray(encode(noisy_rgb(8, 8), "PNG"))
    out = load_image(data)
    data[:] = b"\x00" * len(data)
    assert out.getpixel((0, 0)) == noisy_rgb(8, 8).getpixel((0, 0))


# -------------------------------------------------------------- refusals ----


def test_empty_bytes():
    assert "empty" in rejected(b"")


def test_random_bytes():
    assert "not an image" in rejected(np.random.default_rng(0).bytes(5000))


def test_text_file():
    assert "not an image" in rejected(b"Hello, this is my homework.\n" * 20)


def test_truncated_png():
    data = encode(noisy_rgb(64, 64), "PNG")
    assert "damaged" in rejected(data[: len(data) // 2])


def test_truncated_jpeg():
    data = encode(noisy_rgb(64, 64), "JPEG")
    assert "damaged" in rejected(data[: len(data) // 2])


def test_oversized_file_is_refused_before_decoding():
    data = encode(Image.new("RGB", (8, 8)), "PNG")
    msg = rejected(data + b"\x00" * MAX_FILE_BYTES)
    assert "10 MB" in msg


def test_file_just_under_the_size_limit_is_read():
    data = encode(Image.new("RGB", (8, 8)), "PNG")
    assert load_image(data + b"\x00" * (MAX_FILE_BYTES - len(data))).size == (8, 8)


@pytest.mark.parametrize("fmt", ["TIFF", "ICO", "TGA", "PPM", "PCX"])
def test_format_outside_the_allow_list(fmt):
    msg = rejected(encode(Image.new("RGB", (16, 16), RED), fmt))
    assert "PNG" in msg
    if fmt == "TIFF":
        assert "TIFF" in msg


@pytest.mark.parametrize(
    ("head", "name"),
    [(b"\x00\x00\x00\x18ftypqt  ", "This is a QuickTime (MOV) video file"),
     (b"\x00\x00\x00\x18ftypisom", "This is an MP4 video file"), (b"%PDF-1.7", "This is a PDF file"),
     (b"<svg xmlns='x'>", "This is an SVG file"), (b"II*\x00", "This is a TIFF file")],
)
def test_known_other_formats_are_named(head, name):
    assert name in rejected(head + b"\x00" * 100)


def test_decompression_bomb_is_refused():
    data = encode(Image.new("1", (10_000, 10_000)), "PNG")  # 100 megapixels
    assert len(data) < 50_000
    assert "megapixels" in rejected(data)


def test_more_than_max_pixels_is_refused_and_says_the_size():
    data = encode(Image.new("1", (5000, 5000)), "PNG")  # 25 MP: below Pillow's own limit
    assert "5000 × 5000" in rejected(data)


def test_pixel_limit_is_checked_before_decoding():
    # A header that promises 25 MP followed by missing pixel data: if the file were
    # decoded first, the answer would be "damaged" instead.
    data = encode(Image.new("1", (5000, 5000)), "PNG")
    assert "megapixels" in rejected(data[:200])


def test_pillow_global_state_is_left_alone():
    limit, filters = Image.MAX_IMAGE_PIXELS, list(warnings.filters)
    rejected(encode(Image.new("1", (10_000, 10_000)), "PNG"))
    load_image(encode(Image.new("RGB", (8, 8)), "PNG"))
    assert Image.MAX_IMAGE_PIXELS == limit
    assert warnings.filters == filters


@pytest.mark.parametrize("size", [(10_000, 2), (2, 10_000), (210, 10)])
def test_extremely_wide_or_tall_image(size):
    assert "long and thin" in rejected(encode(Image.new("L", size), "PNG"))


def test_aspect_ratio_of_exactly_20_is_fine():
    assert load_image(encode(Image.new("L", (200, 10)), "PNG")).size == (200, 10)


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


ZERO_WIDTH_FILES = {  # Pillow will not write 0-pixel images, so these headers are built by hand
    "PNG": b"\x89PNG\r\n\x1a\n"
    + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 0, 10, 8, 0, 0, 0, 0))
    + png_chunk(b"IDAT", zlib.compress(b""))
    + png_chunk(b"IEND", b""),
    "GIF": b"GIF89a"
    + struct.pack("<HH", 0, 10)
    + b"\x00\x00\x00,\x00\x00\x00\x00"
    + struct.pack("<HH", 0, 10)
    + b"\x00\x02\x02L\x01\x00;",
    "BMP": b"BM"
    + struct.pack("<IHHI", 54, 0, 0, 54)
    + struct.pack("<IiiHHIIiiII", 40, 0, 10, 1, 24, 0, 0, 0, 0, 0, 0),
}


@pytest.mark.parametrize("fmt", ZERO_WIDTH_FILES)
def test_zero_size_image(fmt):
    rejected(ZERO_WIDTH_FILES[fmt])  # Pillow itself refuses these headers: "damaged"


def test_zero_size_check_in_case_a_decoder_lets_one_through():
    with pytest.raises(InputError) as err:
        images._check_header(SimpleNamespace(format="PNG", size=(0, 10)))
    assert_student_message(err)
    assert "no pixels" in str(err.value)


def mutated(data, draw):
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(data) - 1))
        if draw(st.booleans()):
            data[i] = draw(st.integers(0, 255))
        else:
            del data[i : i + draw(st.integers(1, 40))]
    return bytes(data)


SEED_FILES = [
    encode(noisy_rgb(24, 16), "PNG"),
    encode(noisy_rgb(24, 16), "JPEG"),
    encode(noisy_rgb(24, 16).convert("P"), "GIF"),
    encode(noisy_rgb(24, 16), "WEBP"),
    encode(noisy_rgb(24, 16), "BMP"),
    encode(noisy_rgb(24, 16), "HEIF"),
    encode(noisy_rgb(24, 16), "AVIF"),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_files_give_an_image_or_a_student_message(data):
    """Corrupted uploads never crash with anything but InputError."""
    corrupt = mutated(data.draw(st.sampled_from(SEED_FILES)), data.draw)
    try:
        out = load_image(corrupt)
    except InputError as err:
        assert_student_message(err)
    else:
        assert out.mode in ("L", "RGB")


# ------------------------------------------------------------ preprocessing ----


@settings(max_examples=60, deadline=None)
@given(
    w=st.integers(1, 60),
    h=st.integers(1, 60),
    num_px=st.integers(1, 80),
    channels=st.sampled_from([1, 3]),
    source_mode=st.sampled_from(["L", "RGB"]),
)
def test_preprocess_shape_dtype_and_range(w, h, num_px, channels, source_mode):
    im = noisy_rgb(w, h).convert(source_mode)
    x = preprocess(im, num_px, channels)
    assert x.shape == (num_px * num_px * channels, 1)
    assert x.dtype == np.float64
    assert 0.0 <= x.min() and x.max() <= 1.0


def test_flatten_order_is_the_course_order():
    arr = np.arange(2 * 2 * 3, dtype=np.uint8).reshape(2, 2, 3) * 20  # (num_px, num_px, 3)
    x = preprocess(Image.fromarray(arr), 2, 3)  # same size: the resize changes nothing
    np.testing.assert_array_equal(x, arr.reshape(-1, 1) / 255)
    np.testing.assert_array_equal(x, arr.reshape(1, -1).T / 255)  # the assignment's way
    np.testing.assert_array_equal(x[:3, 0], arr[0, 0] / 255)  # first pixel: R, G, B
    np.testing.assert_array_equal(x[3:6, 0], arr[0, 1] / 255)  # then the next pixel to its right


@pytest.mark.parametrize("channels", [1, 3])
def test_preprocess_steps_fit_together(channels):
    im = noisy_rgb(50, 30)
    steps = preprocess_steps(im, 16, channels)
    assert steps["original"] is im
    resized, flat, scaled = steps["resized"], steps["flat"], steps["scaled"]
    assert resized.dtype == np.uint8 and flat.dtype == np.uint8
    assert resized.shape == ((16, 16) if channels == 1 else (16, 16, 3))
    assert flat.shape == scaled.shape == (16 * 16 * channels, 1)
    np.testing.assert_array_equal(flat, resized.reshape(-1, 1))
    np.testing.assert_array_equal(scaled, flat / 255)
    np.testing.assert_array_equal(preprocess(im, 16, channels), scaled)


def test_grayscale_source_gives_three_equal_channels():
    steps = preprocess_steps(noisy_rgb(20, 20).convert("L"), 8, 3)
    r, g, b = np.moveaxis(steps["resized"], 2, 0)
    np.testing.assert_array_equal(r, g)
    np.testing.assert_array_equal(g, b)


@pytest.mark.parametrize("num_px", [0, -1, 2.5, True, "64", 5000])
def test_bad_num_px(num_px):
    with pytest.raises(InputError) as err:
        preprocess(noisy_rgb(8, 8), num_px, 3)
    assert_student_message(err)


@pytest.mark.parametrize("channels", [0, 2, 4, True, "3"])
def test_bad_channels(channels):
    with pytest.raises(InputError) as err:
        preprocess(noisy_rgb(8, 8), 8, channels)
    assert_student_message(err)


def test_to_mode():
    assert to_mode(noisy_rgb(4, 4), 1).mode == "L"
    assert to_mode(noisy_rgb(4, 4).convert("L"), 3).mode == "RGB"
    assert to_mode(Image.new("RGBA", (4, 4), (9, 9, 9, 0)), 3).getpixel((0, 0)) == WHITE


# ---------------------------------------------------------------- crop_zoom ----


def gradient(w, h):
    """Pixel (x, y) has red = x and green = y, so a crop reveals where it came from."""
    y, x = np.mgrid[0:h, 0:w]
    return Image.fromarray(np.stack([x, y, np.zeros_like(x)], axis=-1).astype(np.uint8))


def top_left(im):
    r, g, _ = im.getpixel((0, 0))
    return r, g


def test_crop_zoom_default_is_the_centred_square():
    out = crop_zoom(gradient(200, 100))
    assert out.size == (100, 100) and top_left(out) == (50, 0)


def test_crop_zoom_two_halves_the_side():
    out = crop_zoom(gradient(200, 100), zoom=2.0)
    assert out.size == (50, 50) and top_left(out) == (75, 25)


def test_crop_zoom_moves_the_square_inside_the_image():
    assert top_left(crop_zoom(gradient(200, 100), zoom=2.0, cx=0.0, cy=0.0)) == (0, 0)
    assert top_left(crop_zoom(gradient(200, 100), zoom=2.0, cx=1.0, cy=1.0)) == (150, 50)


@settings(max_examples=80, deadline=None)
@given(
    w=st.integers(1, 120),
    h=st.integers(1, 120),
    zoom=st.floats(1.0, 50.0),
    cx=st.floats(0.0, 1.0),
    cy=st.floats(0.0, 1.0),
)
def test_crop_zoom_is_square_and_inside(w, h, zoom, cx, cy):
    out = crop_zoom(gradient(w, h), zoom, cx, cy)
    side = max(1, round(min(w, h) / zoom))
    assert out.size == (side, side)
    left, top = top_left(out)
    assert 0 <= left <= w - side and 0 <= top <= h - side


@pytest.mark.parametrize(
    "kwargs",
    [
        {"zoom": 0.5},
        {"zoom": float("nan")},
        {"zoom": float("inf")},
        {"zoom": "2"},
        {"cx": 1.5},
        {"cy": -0.1},
        {"cx": None},
    ],
)
def test_crop_zoom_bad_arguments(kwargs):
    with pytest.raises(InputError) as err:
        crop_zoom(gradient(10, 10), **kwargs)
    assert_student_message(err)


# ------------------------------------------------------------------ display ----


def test_thumbnail_keeps_the_aspect_ratio_and_the_original():
    im = noisy_rgb(1000, 500)
    small = thumbnail(im)
    assert small.size == (256, 128) and im.size == (1000, 500)
    assert thumbnail(noisy_rgb(10, 5)).size == (10, 5)  # never enlarged


@pytest.mark.parametrize(
    "thing",
    [
        noisy_rgb(6, 4),
        Image.new("RGBA", (6, 4), (0, 0, 0, 0)),
        np.zeros((4, 6), dtype=np.uint8),
        np.ones((4, 6, 3)) * 0.5,
        np.zeros((4, 6, 1), dtype=np.uint8),
    ],
)
def test_image_to_bytes_png_round_trip(thing):
    png = image_to_bytes_png(thing)
    assert png.startswith(b"\x89PNG")
    back = Image.open(io.BytesIO(png))
    assert back.size == (6, 4) and back.mode in ("L", "RGB")


def test_image_to_bytes_png_scales_floats():
    back = Image.open(io.BytesIO(image_to_bytes_png(np.array([[0.0, 0.5, 1.0]]))))
    np.testing.assert_array_equal(np.asarray(back)[0], [0, 128, 255])


def test_the_module_never_imports_streamlit():
    source = open(images.__file__, encoding="utf-8").read()
    assert re.search(r"^\s*(import|from)\s+streamlit", source, re.MULTILINE) is None
