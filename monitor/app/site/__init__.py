"""The readers' site: a map and table of the 290, a page per municipality, Atom feeds and downloads.

view.py turns storage's rows into typed values, render.py (templates/, assets/) turns those into files,
install.py swaps them in atomically, publish.py composes these, serve.py serves the folder, commands.py
holds `kommunvakt publish` and `serve`.  data/geometry.json comes from build_geometry.py.
"""
