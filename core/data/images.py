"""Safe image loading and the course's preprocessing steps (numpy and Pillow only).

An uploaded photo is untrusted bytes. `load_image` checks them and returns a plain
Pillow image in mode "L" (grayscale) or "RGB" (colour). The rest follows the
week-2 assignment: resize to (num_px, num_px), turn the pixels into one column
vector of length n_x = num_px * num_px * channels, and divide by 255.

Every problem with the user's file raises `InputError` with one sentence that
can be shown as it is.
"""

import base64
import io
import math
import re
import struct
import threading
import warnings
from contextlib import contextmanager

import numpy as np
import pillow_heif
from PIL import Image, ImageOps

from core.data import webp
from core.errors import InputError

# HEIC/HEIF (iPhones' default) through pillow-heif's Pillow plugin; AVIF is Pillow's own. Thumbnails stored in
# the file are not read; libheif applies the file's rotation and mirroring and sets the EXIF orientation to 1,
# so `_upright_copy` does not turn the photo twice.
pillow_heif.register_heif_opener(thumbnails=False)

MAX_FILE_BYTES = 10 * 1024 * 1024  # 10 MB, checked before any decoding
MAX_PIXELS = 20_000_000  # 20 megapixels, checked on the header, before decoding
MAX_ASPECT_RATIO = 20  # long side / short side
ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "AVIF", "HEIF")
# for st.file_uploader(type=...)
ALLOWED_EXTENSIONS = ["png", "jpg", "jpeg", "gif", "webp", "bmp", "heic", "heif", "avif"]
MAX_NUM_PX = 1024
MAX_DECODED_SIDE = 2048  # an upload is kept at most this many pixels on its longer side (zoom 4 still has 512)
ORIGINAL_SIZE = "basin_original_size"  # load_image's key in Image.info: the file's own (width, height), upright
# Decodes running at once in one server share this much memory (estimated from each header); more wait their
# turn, so a burst of uploads (a class uploading at once) queues instead of multiplying peak memory. Small
# photos decode side by side; a 20-megapixel HEIC (about 200 MB) or animated WebP (Pillow's reader) runs alone.
DECODE_MEMORY_BUDGET = 256 * 2**20
DECODE_WAIT_SECONDS = 30  # how long a decode waits for its turn before the student is asked to retry
# Deflate, the compression inside PNG, shrinks data at most about 1032 : 1 (a 258-byte match in 2 bits).
# A PNG whose compressed data is smaller than its pixels / this ratio cannot hold its whole image.
_DEFLATE_MAX_RATIO = 1100
# A progressive JPEG is drawn in passes (scans); every scan walks the whole picture, however few bytes it holds, so a
# file of one small scan repeated thousands of times takes minutes (a 2.5 MB JPEG of 4000 × 4000: over 2 minutes of a
# core; 3.7 ms a scan). Cameras and editors write 1 to about 12 scans (libjpeg's progressive default: 10).
MAX_JPEG_SCANS = 100
# Pillow decodes a run-length compressed BMP (RLE8, RLE4) in Python: a crafted one of 1-pixel runs took 1.1 s for
# 4 megapixels (a 10 MB upload 1.3 s); at most this many pixels in that form (about 0.5 s at worst). Such files are
# rare and small (icons, old paint programs); an uncompressed BMP of any allowed size is read as before.
MAX_RLE_BMP_PIXELS = 2_000_000
# Pillow reads a JPEG's segments before its first scan one by one in Python, keeping each: 2.5 million empty comments
# (a 10 MB file) took 4.2 s and 188 MB before a pixel was decoded. Photos hold a few dozen (EXIF, ICC profile, XMP,
# tables); each scan of a progressive one brings its own tables.
MAX_JPEG_SEGMENTS = 1000
# A JPEG marker where the decoder looks for one: 0xFF bytes (fill), then a code that is not 0 (a stuffed 0xFF in the
# compressed data), nor a restart RST0-RST7 (inside a scan's data). libjpeg skips other bytes before a marker too.
_JPEG_MARKER = re.compile(rb"\xff+([^\x00\xd0-\xd7\xff])")
# 16-bit value -> 8-bit value, rounded: 0 -> 0, 1000 -> 4, 32768 -> 128, 65535 -> 255 (a 64 kB table)
_SIXTEEN_TO_EIGHT = np.round(np.arange(65536) / 65535.0 * 255.0).astype(np.uint8)

# Pillow opens multi-picture JPEGs (many phone cameras) as "MPO"; it is still a JPEG.
_ACCEPTED_OPENED_FORMATS = (*ALLOWED_FORMATS, "MPO")
FORMATS_IN_WORDS = "PNG, JPEG, HEIC, AVIF, GIF, WebP or BMP"  # under the uploader, and in the refusals
# What a file that made a decoder fail in a way load_image does not foresee gets (ui/uploads.py, your own classes)
UNEXPECTED = ("Basin could not read this file (an unexpected problem, logged for the developers); please try "
              "another photo.")
RESAMPLE = Image.Resampling.LANCZOS  # used for every resize in this module (and core.lessons.classify.kept_copy)
_NOT_AN_IMAGE = f"This file is not an image Basin can read ({FORMATS_IN_WORDS}); try another photo."
_TOO_MANY_SCANS = (f"This JPEG is stored in more than {MAX_JPEG_SCANS} passes (scans), far more than any camera or "
                   "editor writes, and would take minutes to read; please save it again as a JPEG or PNG, or use "
                   "another photo.")
_TOO_MANY_SEGMENTS = (f"This JPEG holds more than {MAX_JPEG_SEGMENTS} blocks of extra data (comments, tags), far "
                      "more than any camera or editor writes; please save it again as a JPEG or PNG, or use another "
                      "photo.")
_DAMAGED = ("This image file is damaged or incomplete, so Basin cannot read it; "
            "try uploading it again or use another photo.")

# Well-known formats we refuse, recognised by their first bytes only (no decoder runs),
# so that the student learns what the file is instead of "not an image".
_OTHER_SIGNATURES = [
    (b"II*\x00", "a TIFF"),
    (b"MM\x00*", "a TIFF"),
    (b"%PDF", "a PDF"),
    (b"8BPS", "a Photoshop (PSD)"),
]
# The brand of an ISO media file (bytes 8-12, after "ftyp"): HEIF and AVIF pictures are read; videos are named.
_PICTURE_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1",
                   b"avif", b"avis"}
_VIDEO_BRANDS = {b"isom": "an MP4 video", b"iso2": "an MP4 video", b"mp41": "an MP4 video",
                 b"mp42": "an MP4 video", b"M4V ": "an MP4 video", b"qt  ": "a QuickTime (MOV) video",
                 b"3gp4": "a 3GP video", b"3gp5": "a 3GP video"}

# Pillow exceptions that mean "these bytes are not a readable image".
# UnidentifiedImageError and truncated files are OSErrors; some decoders raise the others (libavif's and
# libheif's errors arrive as RuntimeError; a damaged EXIF or TIFF structure can raise struct.error).
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError, TypeError, RuntimeError,
                  struct.error)


def load_image(data, *, min_side=512):
    """Check an uploaded file and decode it into a clean Pillow image.

    Parameters
    ----------
    data : bytes-like
        The file's content, e.g. ``uploaded_file.getvalue()``.
    min_side : int or None, default=512
        Decode a smaller copy, cheaply: a JPEG at 1/2, 1/4 or 1/8 scale while
        it decodes, as long as its shorter side stays at least ``min_side``
        pixels; then any image is shrunk by a whole factor (pixel averages) to
        at most MAX_DECODED_SIDE pixels on its longer side. None decodes and
        keeps the full size.

    Returns
    -------
    image : PIL.Image.Image of mode {"L", "RGB"}
        Upright (EXIF orientation applied), first frame only, transparency
        painted white. "L" for grayscale sources, "RGB" for colour ones.
        16-bit images are rescaled to 8 bits with a table (no float copy).
        Its size may be smaller than the file's (see min_side); the file's own
        size is kept in its info, read by `original_size`.

    Raises
    ------
    InputError
        Empty, too big, not an allowed format, damaged (a PNG whose data is
        far too short for its size is refused before decoding), more than
        MAX_PIXELS pixels, longer than MAX_ASPECT_RATIO : 1, or the server too
        busy decoding other photos for DECODE_WAIT_SECONDS.

    Notes
    -----
    At most MAX_CONCURRENT_DECODES files are decoded at once in one server;
    others wait their turn, so a burst of uploads does not multiply memory.
    """
    data = bytes(data)
    if not data:
        raise InputError(f"The file is empty; please choose an image file ({FORMATS_IN_WORDS}).")
    if len(data) > MAX_FILE_BYTES:
        size_mb = math.ceil(len(data) / 2**20 * 10) / 10
        raise InputError(
            f"This file is {size_mb} MB, but Basin accepts images up to "
            f"{MAX_FILE_BYTES // 2**20} MB; please upload a smaller photo."
        )
    other = _other_format_name(data)
    if other:
        raise InputError(
            f"This is {other} file, which Basin cannot read; please save it as PNG or JPEG, "
            "or try another photo."
        )

    scans = _check_jpeg_markers(data) if data.startswith(b"\xff\xd8\xff") else 1  # before Pillow reads them

    # Pillow only warns (DecompressionBombWarning) between Image.MAX_IMAGE_PIXELS and twice
    # that, and raises above. We make the warning an error in this block only: Pillow's
    # globals are not changed. (Our own MAX_PIXELS check below is stricter anyway.)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as im:
                _check_header(im)  # size only: nothing is decoded yet
                file_size = im.size  # before draft() and _shrunk: the size the student's file has
                if im.format == "PNG":
                    _check_png_data(data, im.size)  # chunk lengths only: nothing is decoded yet
                if im.format != "HEIF":  # a HEIF file opens on its primary picture, the one a phone shows
                    im.seek(0)  # animated GIF/WebP/PNG/AVIF: keep the first frame
                max_side = MAX_DECODED_SIDE if min_side else None
                small_webp = _webp_read_by_libwebp(data, im, max_side) if im.format == "WEBP" else None
                if small_webp is not None:
                    im = small_webp
                else:
                    if min_side and im.format in ("JPEG", "MPO"):
                        im.draft(None, (min_side, min_side))  # the JPEG decoder itself works at 1/2, 1/4 or 1/8
                    with _DECODES.turn(_decode_cost(im, file_size, scans)):
                        im.load()  # decode everything now, so damaged files fail here
                        im = _upright_copy(_shrunk(im, max_side))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise InputError(_too_many_pixels_message()) from None
        except InputError:
            raise
        except _DECODE_ERRORS:
            raise InputError(_DAMAGED if _looks_like_allowed_format(data) else _NOT_AN_IMAGE) from None
    out = _to_l_or_rgb(im)
    out.info[ORIGINAL_SIZE] = _upright_size(file_size, out.size)
    return out


def original_size(im):
    """The size (width, height) of the file a `load_image` image was read from, upright: load_image reads a
    photo over MAX_DECODED_SIDE pixels a side smaller (half, a third...), and this is the size it really has.
    Any other image: its own size. (Crops and thumbnails keep the whole photo's value: ask the loaded image.)"""
    return tuple(im.info.get(ORIGINAL_SIZE, im.size))


def to_mode(im, channels):
    """Convert any Pillow image to grayscale (1 channel) or colour (3 channels).

    Parameters
    ----------
    im : PIL.Image.Image
        Any mode; transparency is painted white first.
    channels : {1, 3}

    Returns
    -------
    image : PIL.Image.Image of mode "L" (channels=1) or "RGB" (channels=3)
    """
    _check_channels(channels)
    return _to_l_or_rgb(im).convert("L" if channels == 1 else "RGB")


def crop_zoom(im, zoom=1.0, cx=0.5, cy=0.5):
    """Cut a square out of the image, e.g. so that a face fills the frame.

    Parameters
    ----------
    im : PIL.Image.Image of size (w, h)
    zoom : float, default=1.0
        At least 1. The square's side is min(w, h) / zoom pixels.
    cx, cy : float, default=0.5
        Centre of the square as fractions of the width and height, in [0, 1].
        The square is moved inside the image if it would stick out.

    Returns
    -------
    image : PIL.Image.Image of size (side, side)
    """
    zoom = _check_number("Zoom", zoom, low=1.0, hint="1 shows the whole image")
    cx = _check_number("The horizontal centre", cx, low=0.0, high=1.0, hint="0 is the left edge")
    cy = _check_number("The vertical centre", cy, low=0.0, high=1.0, hint="0 is the top edge")
    w, h = im.size
    side = max(1, round(min(w, h) / zoom))
    left = min(max(round(cx * w - side / 2), 0), w - side)
    top = min(max(round(cy * h - side / 2), 0), h - side)
    return im.crop((left, top, left + side, top + side))


def preprocess(im, num_px, channels):
    """Turn an image into the column vector x that the model reads.

    Parameters
    ----------
    im : PIL.Image.Image
    num_px : int
        Side of the square the image is resized to (64 in the course).
    channels : {1, 3}
        1 for grayscale, 3 for colour (red, green, blue).

    Returns
    -------
    x : ndarray of shape (num_px * num_px * channels, 1)
        float64 values in [0, 1]; the same order as ``arr.reshape(-1, 1)`` for
        arr of shape (num_px, num_px, channels), as in the course.
    """
    return preprocess_steps(im, num_px, channels)["scaled"]


def preprocess_steps(im, num_px, channels):
    """The steps of `preprocess`, kept one by one for a teaching display.

    Parameters
    ----------
    im : PIL.Image.Image
    num_px : int
    channels : {1, 3}

    Returns
    -------
    steps : dict
        "original": PIL.Image.Image, as given.
        "resized": uint8 ndarray of shape (num_px, num_px) for channels=1,
        or (num_px, num_px, 3) for channels=3.
        "flat": uint8 ndarray of shape (n_x, 1), n_x = num_px * num_px * channels.
        "scaled": float64 ndarray of shape (n_x, 1), "flat" / 255, in [0, 1].
    """
    _check_num_px(num_px)
    small = to_mode(im, channels).resize((num_px, num_px), RESAMPLE)
    resized = np.asarray(small, dtype=np.uint8)  # (num_px, num_px) or (num_px, num_px, 3)
    flat = resized.reshape(-1, 1)  # (n_x, 1), row by row, channels innermost
    scaled = flat / 255.0  # (n_x, 1), float64 in [0, 1]
    return {"original": im, "resized": resized, "flat": flat, "scaled": scaled}


def thumbnail(im, max_side=256):
    """A smaller copy for display; the aspect ratio is kept.

    Parameters
    ----------
    im : PIL.Image.Image
    max_side : int, default=256
        The longer side of the result is at most this many pixels.

    Returns
    -------
    image : PIL.Image.Image
        A new image; `im` is not changed.
    """
    if isinstance(max_side, bool) or not isinstance(max_side, int) or max_side < 1:
        raise InputError(f"The thumbnail size must be a whole number of at least 1 pixel; got {max_side!r}.")
    small = im.copy()
    small.thumbnail((max_side, max_side), RESAMPLE)
    return small


def image_to_bytes_png(arr_or_image):
    """Encode an image as PNG bytes, e.g. for ``st.image`` or a download button.

    Parameters
    ----------
    arr_or_image : PIL.Image.Image or ndarray of shape (h, w) or (h, w, 3)
        uint8 arrays are used as they are; float or bool arrays are read as
        values in [0, 1] and scaled by 255 (values outside are clipped).

    Returns
    -------
    png : bytes
    """
    if isinstance(arr_or_image, Image.Image):
        im = _to_l_or_rgb(arr_or_image)
    else:
        arr = np.asarray(arr_or_image)
        if arr.ndim == 3 and arr.shape[2] == 1:
            arr = arr[:, :, 0]
        if not (arr.ndim == 2 or (arr.ndim == 3 and arr.shape[2] == 3)):
            raise ValueError(f"Expected an array of shape (h, w) or (h, w, 3); got {arr.shape}.")
        if arr.dtype != np.uint8:
            arr = np.round(np.clip(arr.astype(np.float64), 0.0, 1.0) * 255).astype(np.uint8)
        im = Image.fromarray(arr)
    buffer = io.BytesIO()
    # Fast compression: these images are shown on a rerun (a zoom move), so encoding time counts more than
    # bytes. A 256 × 256 photo: 20 ms and 94 kB at level 1, against 109 ms and 80 kB at Pillow's default, 6.
    im.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def jpeg_data_uri(arr, quality=90):
    """A colour photo (uint8 ndarray (h, w, 3)) as a data: URI holding a JPEG, for a chart's image trace: a 320-px
    photo is about 20 kB in the chart's spec this way, against about 200 kB as numbers."""
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(arr, dtype=np.uint8)).save(buffer, format="JPEG", quality=quality)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# ---------------------------------------------------------------- helpers ----


def _check_header(im):
    """Refuse the image from its header size alone, before any pixel is decoded."""
    if im.format not in _ACCEPTED_OPENED_FORMATS:  # Image.open(formats=...) already ensures it
        raise InputError(_NOT_AN_IMAGE)
    w, h = im.size
    if w == 0 or h == 0:
        raise InputError("This image has no pixels (its width or height is 0); please use another photo.")
    if w * h > MAX_PIXELS:
        raise InputError(_too_many_pixels_message(w, h))
    if max(w, h) / min(w, h) > MAX_ASPECT_RATIO:
        raise InputError(
            f"This image is {w} × {h} pixels, far too long and thin for Basin "
            f"(at most {MAX_ASPECT_RATIO} : 1); please crop it or use another photo."
        )
    if im.format == "BMP" and w * h > MAX_RLE_BMP_PIXELS and any(t[0] == "bmp_rle" for t in im.tile):
        raise InputError(
            f"This BMP is run-length compressed and {w} × {h} pixels, more than Basin reads in that form "
            f"({MAX_RLE_BMP_PIXELS // 1_000_000} megapixels); please save it as PNG or JPEG."
        )


class _MemoryBudget:
    """A semaphore counted in bytes: turn(cost) waits until `cost` more fits in the budget (a decode that
    alone is larger than the budget runs when nothing else does)."""

    def __init__(self, budget):
        self.budget, self.used = budget, 0
        self._free = threading.Condition()

    @contextmanager
    def turn(self, cost):
        cost = min(cost, self.budget)
        with self._free:
            if not self._free.wait_for(lambda: self.used + cost <= self.budget, timeout=DECODE_WAIT_SECONDS):
                raise InputError("The server is busy reading other photos; please try again in a moment.")
            self.used += cost
        try:
            yield
        finally:
            with self._free:
                self.used -= cost
                self._free.notify_all()


_DECODES = _MemoryBudget(DECODE_MEMORY_BUDGET)


def _decode_cost(im, file_size=None, scans=1):
    """Estimated peak bytes of decoding `im` (after any JPEG draft): its pixels × the bytes a pixel its decoder
    holds at its peak. Measured on 20 megapixels: WebP through Pillow (animations; a still WebP is read by
    `_webp_read_by_libwebp`, with its own estimate) 16.6 (RGBA copies), AVIF 9.6 and HEIF 8.7 (a YUV picture and an
    RGB one); the other decoders hold about two copies of the pixels. A JPEG of several scans (progressive) also
    keeps every DCT coefficient of the whole picture, 2 bytes a pixel and channel of the file's size (`file_size`)
    whatever the draft: measured 32 MB for a 4000 × 4000 grey one read at 1000 × 1000, 112 MB for 4400 × 4400
    colour."""
    w, h = im.size  # a JPEG's size after draft() already
    per_pixel = {"WEBP": 17, "HEIF": 10, "AVIF": 10}.get(im.format, 2 * max(len(im.getbands()), 2))
    coefficients = 0
    if scans > 1 and im.format in ("JPEG", "MPO"):
        fw, fh = file_size or im.size
        coefficients = 2 * fw * fh * len(im.getbands())
    return w * h * per_pixel + coefficients


def _check_jpeg_markers(data):
    """Refuse a JPEG of more than MAX_JPEG_SEGMENTS segments or MAX_JPEG_SCANS scans; return its scans (SOS
    markers). Only its first picture is walked (an MPO's others follow its EOI), as the decoder meets its markers:
    a segment is skipped by its length, a scan's compressed data up to the next marker. Nothing is decoded."""
    pos, segments, scans = 2, 0, 0
    while (found := _JPEG_MARKER.search(data, pos)) is not None:
        marker, pos = found[1][0], found.end()
        if marker == 0xD9:  # EOI: the end of the first picture
            break
        segments += 1
        if segments > MAX_JPEG_SEGMENTS:
            raise InputError(_TOO_MANY_SEGMENTS)
        if marker in (0x01, 0xD8):  # TEM and SOI have no length
            continue
        pos += max(2, int.from_bytes(data[pos:pos + 2], "big"))  # the segment's length counts its own 2 bytes
        if marker == 0xDA:  # SOS: its compressed data follow, up to the next marker
            scans += 1
            if scans > MAX_JPEG_SCANS:
                raise InputError(_TOO_MANY_SCANS)
    return scans


def _check_png_data(data, size):
    """Refuse a PNG whose compressed pixel data (its IDAT chunks) is far too short for the size in its header:
    even all-zero pixels cannot be compressed that much, so the file is cut short or made up (a 102-byte file
    claiming 4472 × 4472 pixels). Only chunk lengths are read; nothing is decompressed."""
    w, h = size
    pos, idat = 8, 0
    bit_depth, colour = (data[24], data[25]) if len(data) > 25 else (8, 0)
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour, 4)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += length
        elif kind == b"IEND":
            break
        pos += 12 + length
    idat = min(idat, len(data))
    raw = h * (1 + math.ceil(w * channels * bit_depth / 8))  # each row: a filter byte and its pixels
    if idat * _DEFLATE_MAX_RATIO < raw:
        raise InputError(_DAMAGED)


def _webp_read_by_libwebp(data, im, max_side):
    """The still WebP photo `im` (opened, not decoded), upright, read by libwebp straight at the size `_shrunk`
    would give it (core.data.webp: a 20-megapixel photo costs 7–95 MB instead of Pillow's 300). None when that path
    does not apply (an animation, or no usable libwebp): Pillow reads it then."""
    size = _shrunk_size(im.size, max_side)
    cost = webp.peak_bytes(data, size)
    if cost is None:
        return None
    with _DECODES.turn(cost):
        picture = Image.fromarray(webp.decode(data, size))  # "RGB", or "RGBA" with transparency
    picture.info.update({key: im.info[key] for key in ("exif", "xmp") if key in im.info})  # its orientation
    return _upright_copy(picture)


def _shrunk_size(size, max_side):
    """The size `_shrunk` gives an image of `size` = (width, height): each side divided by the whole factor that
    brings the longer one to at most max_side, rounded up (as Pillow's reduce)."""
    if max_side is None or max(size) <= max_side:
        return size
    factor = math.ceil(max(size) / max_side)
    return tuple(-(-side // factor) for side in size)


def _shrunk(im, max_side):
    """An image at most max_side pixels on its longer side, shrunk by a whole factor (each new pixel the mean
    of a factor × factor block, Pillow's reduce); 16-bit grayscale is first turned into 8 bits by a table.
    None keeps the size."""
    if im.mode.startswith("I;16"):  # 2 bytes a pixel; Pillow cannot reduce it, and a float copy would be 8
        im = _eight_bit(im)
    if max_side is None or max(im.size) <= max_side:
        return im
    factor = math.ceil(max(im.size) / max_side)
    if im.mode not in ("L", "RGB", "RGBA", "LA", "I", "F", "CMYK"):
        im = _to_l_or_rgb(im)  # P, 1, ...: reduce averages values, not palette indices
    return im.reduce(factor)


def _eight_bit(im):
    """A 16-bit grayscale image as 8 bits ("L"), through a table, 256 rows at a time: no float copy, and no
    full-size copy of the 16-bit values."""
    w, h = im.size
    out = np.empty((h, w), dtype=np.uint8)
    for top in range(0, h, 256):
        strip = np.asarray(im.crop((0, top, w, min(h, top + 256))))
        out[top:top + strip.shape[0]] = _SIXTEEN_TO_EIGHT[strip]
    return Image.fromarray(out, mode="L")


def _upright_size(file_size, shown):
    """The file's own size (width, height) the way the photo is shown: its sides swapped when turning the photo
    upright (EXIF orientation 5 to 8) swapped them. Reading it smaller keeps which side is longer."""
    (w, h), (sw, sh) = file_size, shown
    return (h, w) if (w - h) * (sw - sh) < 0 else (w, h)


def _upright_copy(im):
    """Apply the EXIF orientation (phones store photos sideways), on a new image independent of the file. A broken
    EXIF block is dropped; its orientation, when it could be read, is still applied (Pillow turns the pixels first,
    then writes the block back without the orientation, which a damaged tag can make fail: a struct.error)."""
    upright = im.copy()
    try:
        ImageOps.exif_transpose(upright, in_place=True)
    except _DECODE_ERRORS:
        for key in ("exif", "xmp", "XML:com.adobe.xmp", "Raw profile type exif"):
            upright.info.pop(key, None)
    return upright


def _too_many_pixels_message(w=None, h=None):
    limit = f"Basin's limit of {MAX_PIXELS // 1_000_000} megapixels"
    if w is None:
        return f"This image has more pixels than {limit}; please upload a smaller photo."
    return f"This image is {w} × {h} pixels, more than {limit}; please upload a smaller photo."


def _to_l_or_rgb(im):
    """Any Pillow mode -> "L" (grayscale sources) or "RGB" (colour sources)."""
    mode = im.mode
    if mode in ("L", "RGB"):
        if "transparency" not in im.info:
            return im.copy()
        return _on_white(im.convert("RGBA"), gray=(mode == "L"))
    if mode == "1":
        return im.convert("L")
    if mode in ("LA", "La"):
        return _on_white(im.convert("RGBA"), gray=True)
    if mode in ("RGBA", "RGBa", "PA") or (mode == "P" and "transparency" in im.info):
        return _on_white(im.convert("RGBA"), gray=False)
    if mode.startswith("I;16"):
        # Converting with Pillow would clip every value above 255; rescale the real range (a table, no floats).
        return _eight_bit(im)
    if mode in ("I", "F"):
        arr = np.nan_to_num(np.asarray(im, dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)
        low, high = min(arr.min(), 0.0), arr.max()
        return _gray_from_array((arr - low) / (high - low) if high > low else np.zeros_like(arr))
    return im.convert("RGB")  # P, CMYK, YCbCr, RGBX, LAB, HSV, ...


def _on_white(rgba, gray):
    """Paint an RGBA image onto a white background: hidden colours stay hidden."""
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    out = Image.alpha_composite(white, rgba).convert("RGB")
    return out.convert("L") if gray else out


def _gray_from_array(values):
    """values: ndarray of shape (h, w) in [0, 1] -> "L" image."""
    return Image.fromarray(np.round(values * 255.0).astype(np.uint8), mode="L")


def _other_format_name(data):
    for signature, name in _OTHER_SIGNATURES:
        if data.startswith(signature):
            return name
    if data[4:8] == b"ftyp":
        return _VIDEO_BRANDS.get(data[8:12])
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg")) and b"<svg" in head:
        return "an SVG"
    return None


def _looks_like_allowed_format(data):
    """True if the first bytes are those of PNG, JPEG, GIF, WebP, BMP, HEIF (HEIC) or AVIF."""
    is_webp = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    is_heif = data[4:8] == b"ftyp" and data[8:12] in _PICTURE_BRANDS
    return is_webp or is_heif or data.startswith(
        (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM"))


def _check_channels(channels):
    if isinstance(channels, bool) or channels not in (1, 3):
        raise InputError(f"Channels must be 1 (grayscale) or 3 (colour); got {channels!r}.")


def _check_num_px(num_px):
    is_int = isinstance(num_px, (int, np.integer)) and not isinstance(num_px, bool)
    if not (is_int and 1 <= num_px <= MAX_NUM_PX):
        raise InputError(
            f"The image side num_px must be a whole number from 1 to {MAX_NUM_PX}; got {num_px!r}."
        )


def _check_number(name, value, low, high=None, hint=""):
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    ok = ok and math.isfinite(value) and value >= low and (high is None or value <= high)
    if not ok:
        allowed = f"at least {low:g}" if high is None else f"between {low:g} and {high:g}"
        raise InputError(f"{name} must be a number {allowed} ({hint}); got {value!r}.")
    return float(value)
