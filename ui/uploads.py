"""Uploaded photos, decoded once per upload.

Streamlit reruns a page on every widget change: a zoom or crop slider would decode the same photo again each
time (1 to 1.6 s for a large WebP). `decoded_upload` keeps each decoded photo in the browser session, under
the upload's id (`file_id`, new for every upload, even of the same file), so the next rerun finds it. A file
Basin cannot read is remembered too, with its message, so it is not decoded again either.
"""

import logging

import streamlit as st

from core.data import images
from core.errors import InputError

_KEY = "decoded_uploads"  # session_state: {file_id: PIL image, or the InputError's message}
_LOG = logging.getLogger(__name__)
# A file that made the decoder fail in a way load_image does not foresee: said once, remembered like any refusal, so
# the page keeps working and a rerun does not decode it again.
UNEXPECTED = images.UNEXPECTED
_KEEP = 4  # uploads remembered per session; the oldest is dropped first (each is at most 2048 px a side)


def decoded_upload(uploaded_file):
    """The photo in an st.file_uploader or st.camera_input value, checked and decoded
    (core.data.images.load_image), once per upload.

    Returns
    -------
    PIL.Image.Image of mode {"L", "RGB"}, at most images.MAX_DECODED_SIDE pixels a side. The same object on
    every rerun: do not change it in place (core's crop and resize functions return new images).

    Raises
    ------
    InputError
        The file cannot be used; the message says why, in one sentence (the same one on every rerun).
    """
    kept = st.session_state.setdefault(_KEY, {})
    file_id = uploaded_file.file_id
    if file_id not in kept:
        try:
            kept[file_id] = images.load_image(uploaded_file.getvalue())
        except InputError as err:
            kept[file_id] = str(err)
        except Exception:  # noqa: BLE001  (any other failure is a bug in a decoder: one sentence, not a broken page)
            _LOG.exception("load_image failed on an upload")
            kept[file_id] = UNEXPECTED
        while len(kept) > _KEEP:
            del kept[next(iter(kept))]  # dicts keep insertion order: the oldest upload goes
    found = kept[file_id]
    if isinstance(found, str):
        raise InputError(found)
    return found
