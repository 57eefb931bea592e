"""Rendering: results -> text in one place per format (text.py, json.py, sarif.py, github.py, markdown.py).

Renderers take what the library functions return (findings, Outcomes, report objects) and return strings; they
compute nothing and print nothing.  The same function renders one connector and many.
"""
