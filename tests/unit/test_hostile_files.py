"""Hostile files the fuzz suites did not reach: JPEG scan and segment bombs, a damaged EXIF tag, CSV headers and rows
that made the reader quadratic or slow, and a model file's size message (core/data/images.py, core/data/owndata.py,
core/lessons/classify.py). Larger sweeps: benchmarks/fuzz_images.py and benchmarks/fuzz_hostile_files.py."""

import io
import itertools
import random
import struct

import numpy as np
import pytest
from PIL import Image, ImageFile

from core.data import images, owndata
from core.data.images import MAX_JPEG_SCANS, MAX_JPEG_SEGMENTS, load_image
from core.errors import InputError
from core.lessons import classify


def encode(im, fmt, **kwargs):
    buffer = io.BytesIO()
    im.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def scan_starts(data):
    """Where each SOS segment starts in a JPEG written by Pillow (its scans' data hold no 0xFF but stuffed ones)."""
    return [i for i in range(len(data) - 1) if data[i:i + 2] == b"\xff\xda"]


def progressive_with_scans(total, size=(64, 48)):
    """A flat progressive JPEG whose last scan is repeated until the file holds `total` scans. libjpeg only warns
    about the repeats and decodes every one of them, each walking the whole picture: the scan bomb, in small."""
    data = encode(Image.new("RGB", size, (120, 80, 60)), "JPEG", progressive=True)
    starts = scan_starts(data)
    last = data[starts[-1]:-2]                        # the last scan, up to EOI
    return data[:-2] + last * (total - len(starts)) + b"\xff\xd9"


def test_a_jpeg_of_thousands_of_scans_is_refused_before_pillow_opens_it(monkeypatch):
    # measured before the check: 187 kB of 4000 x 4000 with 5,000 scans decoded for 18.7 s; 2.5 MB for over 2 min
    data = progressive_with_scans(5 * MAX_JPEG_SCANS)

    def never(*args, **kwargs):
        raise AssertionError("Pillow opened the file")
    monkeypatch.setattr(images.Image, "open", never)
    with pytest.raises(InputError, match="scans"):
        load_image(data)


def test_a_jpeg_of_one_scan_more_than_the_limit_is_refused_and_one_at_the_limit_is_read():
    assert len(scan_starts(progressive_with_scans(MAX_JPEG_SCANS))) == MAX_JPEG_SCANS
    assert load_image(progressive_with_scans(MAX_JPEG_SCANS)).size == (64, 48)
    with pytest.raises(InputError, match=f"more than {MAX_JPEG_SCANS} passes"):
        load_image(progressive_with_scans(MAX_JPEG_SCANS + 1))


def test_ordinary_jpegs_are_far_below_the_limits():
    for kwargs in ({}, {"progressive": True}, {"progressive": True, "subsampling": 0}):
        data = encode(Image.new("RGB", (40, 30), (1, 2, 3)), "JPEG", **kwargs)
        assert images._check_jpeg_markers(data) == len(scan_starts(data)) <= 10


def test_scans_after_the_first_pictures_end_are_not_counted():
    # an MPO (phones) holds more pictures after the first one's EOI; only the first is decoded
    first = encode(Image.new("RGB", (40, 30), (1, 2, 3)), "JPEG")
    second = progressive_with_scans(2 * MAX_JPEG_SCANS)
    assert load_image(first + second).size == (40, 30)


def test_a_jpeg_of_millions_of_comments_is_refused_before_pillow_reads_them(monkeypatch):
    # measured before the check: 2.5 million empty comments (10 MB) took Pillow 4.2 s and 188 MB to open
    base = encode(Image.new("RGB", (8, 8)), "JPEG")
    comments = base[:2] + b"\xff\xfe\x00\x02" * (MAX_JPEG_SEGMENTS + 1) + base[2:]
    monkeypatch.setattr(images.Image, "open", lambda *a, **k: pytest.fail("Pillow opened the file"))
    with pytest.raises(InputError, match="blocks of extra data"):
        load_image(comments)


def test_a_few_hundred_comments_are_still_read():
    base = encode(Image.new("RGB", (8, 8)), "JPEG")
    assert load_image(base[:2] + b"\xff\xfe\x00\x04hi" * 300 + base[2:]).size == (8, 8)


def test_a_progressive_jpeg_is_budgeted_for_its_whole_coefficient_buffer(monkeypatch):
    # libjpeg keeps every DCT coefficient of a multi-scan JPEG at full size whatever the draft: 112 MB measured for a
    # 4400 x 4400 colour one read at 550 x 550, whose pixels alone the budget counted as 1.8 MB
    costs = []
    real = images._DECODES.turn

    def turn(cost):
        costs.append(cost)
        return real(cost)
    monkeypatch.setattr(images._DECODES, "turn", turn)
    data = encode(Image.new("RGB", (1600, 1200), (9, 9, 9)), "JPEG", progressive=True)
    out = load_image(data)
    assert max(out.size) < 1600                                  # drafted smaller
    assert costs and costs[0] >= 2 * 1600 * 1200 * 3


def tiff(entries):
    """A little-endian TIFF structure (an EXIF block) of one IFD: (tag, type, count, 4-byte value)."""
    body = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHI", *entry[:3]) + entry[3] for entry in entries)
    return b"II*\x00" + struct.pack("<I", 8) + body + struct.pack("<I", 0)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_damaged_exif_tag_is_dropped_and_the_photo_still_turned(fmt):
    # orientation 6 and a tag Pillow knows as numbers holding text: writing the EXIF back without the orientation
    # raised struct.error out of load_image (found by fuzzing EXIF blocks: 2 of 3,000)
    exif = tiff([(0x0112, 3, 1, struct.pack("<HH", 6, 0)), (0x0141, 2, 4, b"Cam\x00")])
    data = encode(Image.new("RGB", (6, 4), (200, 10, 10)), fmt,
                  exif=b"Exif\x00\x00" + exif if fmt == "JPEG" else exif)
    out = load_image(data)
    assert out.size == (4, 6) and out.mode == "RGB"               # turned upright, as its orientation says
    assert "exif" not in out.info


def test_a_struct_error_from_a_decoder_is_a_sentence(monkeypatch):
    data = encode(Image.new("RGB", (8, 8)), "PNG")

    def broken(self):
        raise struct.error("unpack requires a buffer of 4 bytes")  # Pillow's plugins read headers with struct
    monkeypatch.setattr(ImageFile.ImageFile, "load", broken)
    with pytest.raises(InputError, match="damaged"):
        load_image(data)


# ---------------------------------------------------------------- CSV files


class SliceCounter(list):
    """A header's fields that count how often they are sliced (each slice copies what is left)."""

    slices = 0

    def __getitem__(self, key):
        if isinstance(key, slice):
            SliceCounter.slices += 1
        return super().__getitem__(key)


def test_a_header_of_tens_of_thousands_of_trailing_commas_is_read_in_linear_time():
    """The trailing unnamed columns were sliced off one at a time, each slice a copy of the rest: quadratic, 20,000
    commas took 1.9 s and 2 MB of them hours (benchmarks/fuzz_hostile_files.py times it). One slice now."""
    SliceCounter.slices = 0
    assert owndata._header(SliceCounter(["x", "y"] + [""] * 50_000)) == ("x", "y")
    assert SliceCounter.slices <= 1
    own = owndata.parse_csv(b"x,y" + b"," * 50_000 + b"\n1,0\n2,1\n")
    assert own.columns == ("x", "y") and own.m == 2


def quote_left_open_by_characters(text, line, sep):
    """The scan _quote_left_open made before, one character at a time in Python: the reference it must agree with."""
    rest = "".join(itertools.islice(io.StringIO(text, newline=""), line - 1, None))
    i, n = 0, len(rest)
    while i < n:
        while i < n and rest[i] == " ":
            i += 1
        if i < n and rest[i] == '"':
            i += 1
            while True:
                j = rest.find('"', i)
                if j < 0:
                    return True
                if rest.startswith('""', j):
                    i = j + 2
                    continue
                i = j + 1
                break
        while i < n and rest[i] not in (sep, "\r", "\n"):
            i += 1
        if i >= n or rest[i] != sep:
            return False
        i += 1
    return False


def test_the_open_quote_scan_agrees_with_the_character_by_character_one():
    rng = random.Random(0)
    alphabet = ['"', '"', ",", ";", "\t", " ", "a", "1", "\n", "\r"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        sep, line = rng.choice(list(owndata.SEPARATORS)), rng.randint(1, 2)
        assert owndata._quote_left_open(text, line, sep) == quote_left_open_by_characters(text, line, sep), text


def test_the_open_quote_scan_of_a_two_megabyte_row():
    # a file of one 2 MB value (2 MB of NUL bytes: past csv's field limit) was scanned a character at a time: 0.44 s
    # a scan, three scans an upload; now 0.02 s (timed in benchmarks/fuzz_hostile_files.py, not here)
    text = "\x00" * 2_000_000
    assert owndata._quote_left_open(text, 1, ",") is False
    assert owndata._quote_left_open('x,"' + text, 1, ",") is True


# ---------------------------------------------------------------- model files


def test_a_model_file_just_over_the_limit_says_its_size_in_bytes():
    # "This file is 1.0 MB, larger than any Basin model (at most 1 MB)" contradicted itself; the uploader lets up to
    # 1,048,576 bytes through
    with pytest.raises(InputError) as err:
        classify.model_from_json(b" " * (classify.MAX_MODEL_BYTES + 1))
    assert "1,000,001 bytes" in str(err.value) and "1,000,000 bytes" in str(err.value)


def test_an_unforeseen_decoder_failure_among_your_own_photos_is_one_sentence(monkeypatch):
    """OwnClasses.sync caught only InputError from read_photo: a decoder's bug on one file broke the page on every
    rerun while the file stayed in the uploader. It is now that file's refusal, and the other files are read."""
    from core.data.images import UNEXPECTED, image_to_bytes_png
    from core.lessons import classify
    good = image_to_bytes_png(np.full((40, 40, 3), 128, np.uint8))
    real = classify.read_photo

    def read_photo(data, name="a camera photo", upload_id=None):
        if data == b"boom":
            raise struct.error("bad char in struct format")
        return real(data, name, upload_id)

    monkeypatch.setattr(classify, "read_photo", read_photo)
    own = classify.OwnClasses()
    notes = own.sync(0, [("u1", "bad.jpg", lambda: b"boom"), ("u2", "good.png", lambda: good)])
    assert notes == [("refused", f"bad.jpg: {UNEXPECTED}")] and own.counts[0] == 1


def test_an_uploaded_csv_is_read_once_for_its_label_columns_and_its_data(monkeypatch):
    """The upload's callback reads the file for its 0/1 columns, then for its data: it was split into rows each
    time (a 2 MB file of blank lines took 2.5 s over its three reads); the rows are kept for the second read."""
    calls = []
    rows = owndata._rows
    monkeypatch.setattr(owndata, "_rows", lambda text, sep=",": calls.append(sep) or rows(text, sep))
    data = b"hours,passed\n" + b"\n" * 1000 + b"".join(b"%d.25,%d\n" % (i, i % 2) for i in range(50))
    assert owndata.label_columns(data) == ("passed",)
    own = owndata.parse_csv(data)
    assert own.m == 50 and len(calls) == 1


def rle8_bmp(w, h):
    """An RLE8 BMP of 1-pixel runs: the slowest a run-length BMP can be for Pillow's decoder (written in Python)."""
    row = b"".join(struct.pack("BB", 1, i % 255) for i in range(w)) + b"\x00\x00"       # runs, then end of line
    pixels = row * h + b"\x00\x01"                                                     # end of bitmap
    palette = b"".join(struct.pack("BBBB", i, 255 - i, i // 2, 0) for i in range(256))
    offset = 14 + 40 + len(palette)
    return (struct.pack("<2sIHHI", b"BM", offset + len(pixels), 0, 0, offset)
            + struct.pack("<IiiHHIIiiII", 40, w, h, 1, 8, 1, len(pixels), 2835, 2835, 256, 0) + palette + pixels)


def test_a_large_run_length_bmp_is_refused_before_its_slow_decoder_runs(monkeypatch):
    """A 10 MB RLE8 BMP of 1-pixel runs (2300 × 2200) took 1.3 s of a core to decode, in Python; it is refused from
    its header, while a small one (an icon, an old paint program's picture) is read with its pixels."""
    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self.format) or real_load(self))
    refusal = (r"^This BMP is run-length compressed and 2300 × 2200 pixels, more than Basin reads in that form "
               r"\(2 megapixels\); please save it as PNG or JPEG\.$")
    with pytest.raises(InputError, match=refusal):
        load_image(rle8_bmp(2300, 2200))
    assert decoded == []
    small = load_image(rle8_bmp(40, 30), min_side=None)
    assert small.size == (40, 30) and "BMP" in decoded
    assert small.getpixel((3, 29)) == (1, 252, 3)   # the top row (BMPs run bottom-up), 4th run; palettes are B, G, R
