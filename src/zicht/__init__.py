"""zicht: a semantic data-harmonisation and definitions registry for people with a (psychological)
vulnerability in Dutch gemeenten, wijken and buurten."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("zicht")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
