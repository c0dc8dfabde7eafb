"""The one piece of packaging pyproject.toml cannot say: where the seeds go.

The bundled articles stay in ``seeds/`` at the top of the repository, and the
wheel carries them inside the package as ``bot/seeds``, where
``bot.settings.bundled_seeds`` looks first. Everything else is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["bot*", "adapters*"]), "bot.seeds"],
    package_dir={"bot.seeds": "seeds"},
)
