"""ui/framework_fixes.py on Streamlit's own outgoing queue: when a fragment's run is interrupted by another run of
the same fragment, none of its messages may reach the browser, references to cached elements included."""

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime import forward_msg_cache
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
from streamlit.runtime.scriptrunner_utils import script_run_context

from ui import framework_fixes

framework_fixes.install()

PHOTO_TAB = [0, 2, 1, 0]   # where the Classify tab's fragment writes, as in the browser's trace of the crash


def element(path, fragment_id="", size=12_000):
    """A new_element delta at this place, big enough for Streamlit to send it by reference once it is cached."""
    msg = ForwardMsg()
    msg.delta.new_element.markdown.body = "x" * size
    msg.delta.fragment_id = fragment_id
    msg.metadata.delta_path[:] = path
    forward_msg_cache.populate_hash_if_needed(msg)
    assert msg.metadata.cacheable
    return msg


def block(path, fragment_id):
    msg = ForwardMsg()
    msg.delta.add_block.flex_container.SetInParent()
    msg.delta.fragment_id = fragment_id
    msg.metadata.delta_path[:] = path
    return msg


def lifecycle():
    msg = ForwardMsg()
    msg.session_status_changed.script_is_running = True
    return msg


def interrupted_queue(create_reference_msg):
    """The queue when the second run of fragment F starts: F's first run had written a block and, inside it, a
    chart the browser had cached; fragment G and a whole-page run each have a cached chart waiting too."""
    queue = ForwardMsgQueue()
    queue.enqueue(lifecycle())
    queue.enqueue(block(PHOTO_TAB + [11], "F"))
    queue.enqueue(create_reference_msg(element(PHOTO_TAB + [11, 0, 0], "F")))
    queue.enqueue(create_reference_msg(element([0, 5, 0], "G")))
    queue.enqueue(create_reference_msg(element([0, 7])))
    return queue


def test_the_upstream_queue_keeps_an_interrupted_fragments_references():
    """The bug, on Streamlit's own code. When this fails, an upgrade has fixed it: remove ui/framework_fixes.py."""
    queue = interrupted_queue(forward_msg_cache.create_reference_msg)
    ForwardMsgQueue.clear.__wrapped__(queue, retain_lifecycle_msgs=True, fragment_ids_this_run=["F"])
    kept = [list(m.metadata.delta_path) for m in queue._queue if m.HasField("ref_hash")]
    assert PHOTO_TAB + [11, 0, 0] in kept   # a chart whose block was dropped: the browser crashes on it


def test_an_interrupted_fragment_run_sends_nothing_of_its_own():
    queue = interrupted_queue(script_run_context.create_reference_msg)
    queue.clear(retain_lifecycle_msgs=True, fragment_ids_this_run=["F"])
    kinds = [m.WhichOneof("type") for m in queue._queue]
    refs = [list(m.metadata.delta_path) for m in queue._queue if m.HasField("ref_hash")]
    assert kinds == ["session_status_changed", "ref_hash", "ref_hash"]
    assert refs == [[0, 5, 0], [0, 7]]       # another fragment's and the whole page's are still sent


def test_a_whole_page_run_drops_every_reference_as_before():
    queue = interrupted_queue(script_run_context.create_reference_msg)
    queue.clear(retain_lifecycle_msgs=True)
    assert [m.WhichOneof("type") for m in queue._queue] == ["session_status_changed"]


def test_flush_and_a_plain_clear_are_unchanged():
    queue = interrupted_queue(script_run_context.create_reference_msg)
    assert len(queue.flush()) == 5
    assert len(queue) == 0


def test_a_reference_knows_its_fragment_and_nothing_else_changes():
    msg = element(PHOTO_TAB + [3], "F")
    ref = script_run_context.create_reference_msg(msg)
    assert ref.ref_hash == msg.hash
    assert list(ref.metadata.delta_path) == PHOTO_TAB + [3]
    assert list(ref.metadata.run.fragment_ids) == ["F"]
    assert ref.metadata.run.script_run_id == ""   # the browser reads a run identity only when it has a run id
    plain = script_run_context.create_reference_msg(element([0, 1]))
    assert not plain.metadata.HasField("run")


def test_install_is_idempotent_and_used_by_the_script_context():
    before = (script_run_context.create_reference_msg, ForwardMsgQueue.clear)
    framework_fixes.install()
    assert (script_run_context.create_reference_msg, ForwardMsgQueue.clear) == before
    # ScriptRunContext.enqueue calls create_reference_msg through its module's globals: it gets the fixed one
    assert script_run_context.ScriptRunContext.enqueue.__globals__["create_reference_msg"] is before[0]
