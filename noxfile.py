"""Sessions for the reproducible artifact: `nox -s reproduce`, `nox -s tests`, `nox -l` for the rest.

Logic lives in the `artifact` package; each session installs it and calls `python -m artifact`.
Sessions use nox's default virtualenv + pip backend, which can see a local torch wheel store.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True



@nox.session(default=False)
def reproduce(session: nox.Session) -> None:
    """Regenerate every exhibit into figures/ from the shipped evidence (offline, a few seconds)."""
    session.install("-e", ".")
    session.run("python", "-m", "artifact", "reproduce", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (offline; includes `reproduce --check`)."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session(default=False)
def check(session: nox.Session) -> None:
    """Check every claim of the article against the evidence (exit 1 on an unexpected status)."""
    session.install("-e", ".")
    session.run("python", "-m", "artifact", "check", *session.posargs)


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Print cold, warm and no-op timings of `reproduce`."""
    session.install("-e", ".")
    session.run("python", "benchmarks/bench_reproduce.py", *session.posargs)
