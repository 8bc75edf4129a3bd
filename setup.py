"""Packaging hook (the metadata is in pyproject.toml).

A non-editable install (``pip install .``, a wheel) carries the data the pipeline reads --
``corpora/`` (rules, patterns, gazetteers, the sample corpus) and ``models/`` (the built
spaCy pipeline) -- inside the package as ``pipeline/_data/``, where `pipeline.settings`
finds them when there is no source checkout.  An editable install (``pip install -e .``)
reads them from the checkout and copies nothing.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = ("corpora", "models")


class build_py_with_data(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        here = Path(__file__).resolve().parent
        for name in DATA:
            target = Path(self.build_lib) / "pipeline" / "_data" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(here / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": build_py_with_data})
