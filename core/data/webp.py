"""Read a still WebP photo straight into a smaller picture, through libwebp's own scaler.

Pillow reads every WebP through libwebp's animation decoder: a 20-megapixel photo holds two full RGBA canvases in
libwebp, a copy of the frame as Python bytes and Pillow's image, about 300 MB at once (measured). libwebp itself
can decode into a picture of any smaller size, scaling each row as it is decoded (its advanced API, `WebPDecode`
with `use_scaling`): a lossy photo then never exists at full size. Pillow does not offer that, so this module calls
the libwebp that Pillow's own WebP plugin loaded, through ctypes.

`decode(data, size)` returns an RGB or RGBA array of that size, or None whenever this path is not available or
does not apply (no libwebp found, an ABI other than the one described here, an animation); the caller then uses
Pillow. The structs below are those of libwebp's `decode.h` for decoder ABI major version 2 (libwebp 0.5 to at
least 1.6); libwebp refuses the call if its major version differs. `_self_check` decodes a small picture both
ways before the first use and turns this path off if the two disagree, so a library whose layout differs is never
trusted with an upload.
"""

import ctypes
import glob
import io
import os
import threading

import numpy as np

_ABI_VERSION = 0x0209  # WEBP_DECODER_ABI_VERSION this layout follows; libwebp checks the major byte only
_MODE_RGB, _MODE_RGBA = 0, 1  # WEBP_CSP_MODE
_STATUS_OK = 0  # VP8StatusCode


class _Features(ctypes.Structure):  # WebPBitstreamFeatures
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("has_alpha", ctypes.c_int),
                ("has_animation", ctypes.c_int), ("format", ctypes.c_int), ("pad", ctypes.c_uint32 * 5)]


class _RGBABuffer(ctypes.Structure):  # WebPRGBABuffer
    _fields_ = [("rgba", ctypes.c_void_p), ("stride", ctypes.c_int), ("size", ctypes.c_size_t)]


class _YUVABuffer(ctypes.Structure):  # WebPYUVABuffer: only its size matters here (the union's larger member)
    _fields_ = [("y", ctypes.c_void_p), ("u", ctypes.c_void_p), ("v", ctypes.c_void_p), ("a", ctypes.c_void_p),
                ("y_stride", ctypes.c_int), ("u_stride", ctypes.c_int), ("v_stride", ctypes.c_int),
                ("a_stride", ctypes.c_int), ("y_size", ctypes.c_size_t), ("u_size", ctypes.c_size_t),
                ("v_size", ctypes.c_size_t), ("a_size", ctypes.c_size_t)]


class _Buffers(ctypes.Union):
    _fields_ = [("RGBA", _RGBABuffer), ("YUVA", _YUVABuffer)]


class _DecBuffer(ctypes.Structure):  # WebPDecBuffer
    _fields_ = [("colorspace", ctypes.c_int), ("width", ctypes.c_int), ("height", ctypes.c_int),
                ("is_external_memory", ctypes.c_int), ("u", _Buffers), ("pad", ctypes.c_uint32 * 4),
                ("private_memory", ctypes.c_void_p)]


class _Options(ctypes.Structure):  # WebPDecoderOptions
    _fields_ = [(name, ctypes.c_int) for name in (
        "bypass_filtering", "no_fancy_upsampling", "use_cropping", "crop_left", "crop_top", "crop_width",
        "crop_height", "use_scaling", "scaled_width", "scaled_height", "use_threads", "dithering_strength", "flip",
        "alpha_dithering_strength")] + [("pad", ctypes.c_uint32 * 5)]


class _Config(ctypes.Structure):  # WebPDecoderConfig
    _fields_ = [("input", _Features), ("output", _DecBuffer), ("options", _Options)]


def _find_libwebp():
    """The libwebp Pillow's WebP plugin uses: the one already mapped into this process once the plugin is imported
    (a wheel's copy in pillow.libs, or the system's), else the system's by name. None if there is none."""
    try:
        from PIL import _webp  # noqa: F401  (loads libwebp into the process)
    except ImportError:
        return None
    paths = []
    try:
        with open("/proc/self/maps") as maps:
            paths = [line.split()[-1] for line in maps if "/libwebp" in line and ".so" in line]
    except OSError:  # no /proc (not Linux): look beside Pillow
        import PIL
        paths = glob.glob(os.path.join(os.path.dirname(PIL.__file__), "..", "pillow.libs", "libwebp-*.so*"))
    paths = [p for p in paths if os.path.basename(p).startswith(("libwebp.", "libwebp-"))] or ["libwebp.so.7"]
    try:
        lib = ctypes.CDLL(paths[0])
        lib.WebPInitDecoderConfigInternal.argtypes = [ctypes.POINTER(_Config), ctypes.c_int]
        lib.WebPInitDecoderConfigInternal.restype = ctypes.c_int
        lib.WebPGetFeaturesInternal.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_Features),
                                                ctypes.c_int]
        lib.WebPGetFeaturesInternal.restype = ctypes.c_int
        lib.WebPDecode.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_Config)]
        lib.WebPDecode.restype = ctypes.c_int
        lib.WebPFreeDecBuffer.argtypes = [ctypes.POINTER(_DecBuffer)]
        lib.WebPFreeDecBuffer.restype = None
    except (OSError, AttributeError):
        return None
    return lib


def _decode_with(lib, data, size):
    """`decode` through `lib`, without the self-check."""
    config = _Config()
    if not lib.WebPInitDecoderConfigInternal(ctypes.byref(config), _ABI_VERSION):
        return None  # another ABI major version
    if lib.WebPGetFeaturesInternal(data, len(data), ctypes.byref(config.input), _ABI_VERSION) != _STATUS_OK:
        return None  # let Pillow say what is wrong with the file
    features = config.input
    if features.has_animation or features.width <= 0 or features.height <= 0:
        return None
    width, height = size or (features.width, features.height)
    if not (0 < width <= features.width and 0 < height <= features.height):
        raise ValueError(f"a WebP is read at its size or smaller, not {size} from {features.width} × "
                         f"{features.height}")
    channels = 4 if features.has_alpha else 3
    pixels = np.empty((height, width, channels), dtype=np.uint8)  # libwebp writes into it (external memory)
    out = config.output
    out.colorspace = _MODE_RGBA if channels == 4 else _MODE_RGB
    out.is_external_memory = 1
    out.u.RGBA.rgba = pixels.ctypes.data
    out.u.RGBA.stride = width * channels
    out.u.RGBA.size = pixels.nbytes  # libwebp checks that stride × height fits in it
    if (width, height) != (features.width, features.height):
        config.options.use_scaling = 1
        config.options.scaled_width, config.options.scaled_height = width, height
    status = lib.WebPDecode(data, len(data), ctypes.byref(config))  # releases the GIL while it decodes
    lib.WebPFreeDecBuffer(ctypes.byref(out))  # frees nothing of ours (external memory); kept for symmetry
    if status != _STATUS_OK:
        raise ValueError(f"libwebp could not decode this WebP (status {status})")
    return pixels


def _self_check(lib):
    """True if decoding a small picture through `lib` gives Pillow's pixels, with and without alpha and when
    scaled to half its size (libwebp's scaler averages each 2 × 2 block, within rounding)."""
    from PIL import Image

    rng = np.random.default_rng(0)
    for channels in (3, 4):
        picture = rng.integers(0, 256, (24, 32, channels), dtype=np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(picture).save(buffer, format="WEBP", lossless=True)
        data = buffer.getvalue()
        try:
            full, half = _decode_with(lib, data, None), _decode_with(lib, data, (16, 12))
        except ValueError:
            return False
        with Image.open(io.BytesIO(data)) as im:
            pillows = np.asarray(im)  # not `picture`: under transparent pixels the encoder may change colours
        if full is None or not np.array_equal(full, pillows):
            return False
        if channels == 3:
            blocks = picture.reshape(12, 2, 16, 2, 3).mean(axis=(1, 3))
            if half is None or np.abs(half - blocks).max() > 1.5:
                return False
    return True


_LIB, _CHECKED, _LOCK = None, False, threading.Lock()


def available():
    """True if still WebP photos can be read through libwebp's scaler here (found, same ABI, self-check passed)."""
    global _LIB, _CHECKED
    with _LOCK:
        if not _CHECKED:
            lib = _find_libwebp()
            _LIB = lib if lib is not None and _self_check(lib) else None
            _CHECKED = True
    return _LIB is not None


def _features(data):
    """libwebp's WebPBitstreamFeatures of `data`, or None if this path is unavailable or libwebp cannot read the
    header."""
    if not available():
        return None
    features = _Features()
    if _LIB.WebPGetFeaturesInternal(bytes(data), len(data), ctypes.byref(features), _ABI_VERSION) != _STATUS_OK:
        return None
    return features


def peak_bytes(data, size=None):
    """Estimated peak memory, in bytes, of `decode(data, size)`; None when `decode` would return None.

    The output picture, plus about 5 bytes a pixel of the full-size photo when it has transparency (libwebp decodes
    the alpha plane at full size) or is lossless (its ARGB rows). Measured on 20 megapixels: lossy 7 MB scaled to
    2.2 MP and 58 MB at full size; lossy with alpha 95 and 153 MB; lossless 12–76 and 62–153 MB.
    """
    features = _features(data)
    if features is None or features.has_animation:
        return None
    width, height = size or (features.width, features.height)
    channels = 4 if features.has_alpha else 3
    full_size = 5 * features.width * features.height if features.has_alpha or features.format == 2 else 0
    return width * height * channels + full_size + 2**20


def decode(data, size=None):
    """Decode a still WebP into an array of shape (height, width, 3) (RGB) or (height, width, 4) (RGBA, when the
    file has transparency), scaled by libwebp to `size` = (width, height) if given (at most the photo's size).

    Returns None when this path does not apply (libwebp not usable here, or an animated WebP): read the file with
    Pillow then. Raises ValueError if libwebp cannot decode the data.
    """
    if not available():
        return None
    return _decode_with(_LIB, bytes(data), size)
