"""Plots for ``view`` statements, shared by every front end.

The executors hand over the evaluated data of each view (``RunResult.views``); this package
turns them into plot descriptions (``data``, no plotting library needed), draws those with
matplotlib (``render``) and shows them where the front end wants (``display``: a window,
PNG files, or a notebook cell through a callable of its own).
"""
