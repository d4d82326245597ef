"""A fix for a Streamlit 1.67 bug that turns the whole page blank when a fragment's run is interrupted.

The bug. A fragment run (a photo uploaded on Classify, a class-mode tally) sends its elements through the session's
outgoing queue. An element the browser already has (10 kB or more, a chart say) is sent as a reference to it
(a `ref_hash` message), which carries the element's place in the page but not the fragment it belongs to. When a
second fragment run interrupts the first before the queue is sent (replacing the photo in a one-file uploader asks
for two runs at once), the queue drops the first run's messages of that fragment. It cannot tell that the
references belong to it, so it keeps them, while the containers they sit in are dropped. The browser then places
a chart inside what is still a line of text there, throws "'setIn' cannot be called on an ElementNode", and React
unmounts the app: a blank page that no longer answers.

The fix. A reference message keeps the fragment of the element it stands for (in its metadata's run identity,
which the browser reads only on run start and finish messages), and the queue's clear for a fragment run drops
the references of that fragment as it drops its other messages. tests/unit/test_framework_fixes.py shows the bug
on Streamlit's own queue, and fails once an upgrade fixes it there, so that this module can go.
"""

import functools

from streamlit.runtime import forward_msg_queue
from streamlit.runtime.scriptrunner_utils import script_run_context

_MARK = "_basin_fixed"


def _references_keep_their_fragment(create_reference_msg):
    @functools.wraps(create_reference_msg)
    def create(msg):
        ref = create_reference_msg(msg)
        if ref is not msg and msg.HasField("delta") and msg.delta.fragment_id:
            ref.metadata.run.fragment_ids.append(msg.delta.fragment_id)
        return ref
    setattr(create, _MARK, True)
    return create


def _clear_drops_the_fragments_references(clear):
    @functools.wraps(clear)
    def clear_fixed(self, retain_lifecycle_msgs=False, fragment_ids_this_run=None):
        clear(self, retain_lifecycle_msgs=retain_lifecycle_msgs, fragment_ids_this_run=fragment_ids_this_run)
        if fragment_ids_this_run:
            running = set(fragment_ids_this_run)
            self._queue = [m for m in self._queue
                           if not (m.HasField("ref_hash") and running.intersection(m.metadata.run.fragment_ids))]
    setattr(clear_fixed, _MARK, True)
    return clear_fixed


def install() -> None:
    """Apply the fix to this process's Streamlit (once; later calls do nothing)."""
    if not getattr(script_run_context.create_reference_msg, _MARK, False):
        script_run_context.create_reference_msg = _references_keep_their_fragment(
            script_run_context.create_reference_msg)
    queue = forward_msg_queue.ForwardMsgQueue
    if not getattr(queue.clear, _MARK, False):
        queue.clear = _clear_drops_the_fragments_references(queue.clear)
