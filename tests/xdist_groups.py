"""xdist groups under pytest 9: tests marked `xdist_group` run on one worker again."""

try:
    from _pytest.nodeid import NodeId
except ImportError:  # before pytest 9, xdist's own renaming works
    NodeId = None


def name_xdist_groups(items):
    """Give each test of an xdist group the id suffix `@group` that xdist's loadgroup scheduling reads.

    pytest-xdist 3.8 sets it on `item._nodeid`, which pytest 9 no longer reads (ids live in `item._id`), so
    without this every group (browser, scale-out, demo) is spread over the workers like any test.
    """
    if NodeId is None:
        return
    for item in items:
        groups = sorted(
            {
                str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                for mark in item.iter_markers("xdist_group")
            }
        )
        nodeid = item.nodeid
        if groups and nodeid.rfind("@") <= nodeid.rfind("]"):
            item._id = NodeId.parse(f"{nodeid}@{'_'.join(groups)}")
