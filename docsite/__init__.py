"""Build-time helpers of the documentation site and of the tests that keep it true.

MkDocs runs ``docsite/hooks.py``; it generates the CLI reference from the argument
parsers and the gallery from ``examples/``. The tests under ``tests/docs/`` run the
gallery models and the marked code blocks of ``docs/`` with the same helpers.
"""
