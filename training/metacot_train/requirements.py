"""Checks the Python packages a training script needs before anything imports them, so a missing
one is a one-line message with the install command instead of a ModuleNotFoundError trace."""
from __future__ import annotations

import importlib
import sys

# Debian/Ubuntu package of each module; training uses /usr/bin/python3 with these.
APT_PACKAGES = {"torch": "python3-torch", "onnx": "python3-onnx"}


def require(*modules: str) -> None:
    """Exits with status 2 naming the missing modules and the apt line that installs them."""
    missing = []
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        packages = " ".join(APT_PACKAGES.get(m, f"python3-{m}") for m in missing)
        sys.stderr.write(
            f"error: {sys.executable} cannot import {', '.join(missing)}.\n"
            f"  Install them: sudo apt-get install {packages}\n"
            f"  and run the script with that python (/usr/bin/python3), not a virtualenv's.\n"
        )
        sys.exit(2)
