"""Markers that views carry and middleware reads."""


def plan_guard_exempt(view):
    """A personal setting (not the workspace's data) that plan consulta leaves writable."""
    view.plan_guard_exempt = True
    return view
