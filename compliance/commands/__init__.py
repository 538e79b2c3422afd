"""Commands that live in their own modules (one per feature), registered on the main group by ``cli.py``.

Each module defines click commands and keeps heavy imports inside the command functions, so importing it
costs nothing at ``compliance --help`` time.
"""
