"""The same bytes on every machine: `reproduce --check` passes with numpy's newer SIMD kernels
switched off and with one or several threads, derived numbers are canonical, and a product is
rebuilt exactly when code it imports changes."""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys

import pytest

from artifact import paths
from artifact.codedeps import code_files
from artifact.numbers import SIGNIFICANT_DIGITS, canonical, canonical_tree
from tests.conftest import copy_repo, run_cli


def _masks() -> list[str]:
    """numpy's dispatch targets newer than X86_V3 and from X86_V3 on, as far as this CPU has them."""
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    except ImportError:  # another numpy layout: mask by name and let numpy ignore what it lacks
        __cpu_dispatch__, __cpu_features__ = ["X86_V3", "X86_V4", "AVX512_ICL", "AVX512_SPR"], {}
    have = [n for n in __cpu_dispatch__ if __cpu_features__.get(n, True)]
    v4 = [n for n in have if n != "X86_V3"]
    return [" ".join(v4), " ".join(have)]


V4_OFF, V3_OFF = _masks()


@pytest.mark.parametrize("mask, threads, jobs", [(V4_OFF, "1", "1"), (V3_OFF, "4", "2")],
                         ids=["x86-v4-off-1-thread", "x86-v3-off-4-threads"])
def test_check_passes_with_simd_kernels_masked(mask, threads, jobs):
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": mask, "OMP_NUM_THREADS": threads,
           "OPENBLAS_NUM_THREADS": threads, "PYTHONPATH": str(paths.REPO_ROOT)}
    result = subprocess.run([sys.executable, "-m", "artifact", "reproduce", "--check", "--jobs", jobs],
                            cwd=paths.REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"NPY_DISABLE_CPU_FEATURES={mask!r}:\n{result.stderr}"
    assert "all outputs match the manifest" in result.stdout


def test_canonical_rounds_to_the_declared_digits_and_keeps_printed_values():
    assert canonical(3162277.6601683795) == canonical(3162277.660168379) == 3162277.66
    assert canonical(3.6794311696625037) == canonical(3.6794311696625) == 3.67943117
    for printed in (56.9, 0.5, 17500.0, 1e16, 74.4, 0.076, 8.8e13, 2.96):
        assert canonical(printed) == printed
    assert canonical(-0.0) == 0.0 and math.copysign(1, canonical(-0.0)) == 1.0
    assert math.isnan(canonical(float("nan")))
    assert canonical_tree({"a": [1, 2.0000000001, True, "x", None]}) == {"a": [1, 2.0, True, "x", None]}


def test_one_ulp_almost_never_changes_a_canonical_value():
    rng = random.Random(0)
    values = [10 ** rng.uniform(-6, 14) for _ in range(20000)]
    flips = sum(canonical(v) != canonical(math.nextafter(v, math.inf)) for v in values)
    assert flips <= 2, flips  # expected about 20000 * 10**-(16 - SIGNIFICANT_DIGITS) = 0.002
    assert all(canonical(canonical(v)) == canonical(v) for v in values[:1000])


def test_code_files_follow_lazy_imports_and_declared_data():
    files = {paths.display(p) for p in code_files(paths.PACKAGE_DIR / "render.py")}
    assert {"artifact/render.py", "artifact/numbers.py", "artifact/fonts/__init__.py",
            "artifact/fonts/ArtifactSansSC-Regular.otf", "docs/references.bib"} <= files
    assert not any(f.startswith("artifact/exhibits/") and f.endswith(("gsm8k_scaling.py", "bbh_cot.py"))
                   for f in files)


def test_code_files_follow_the_exhibit_discovery_only_where_the_registry_is_used():
    """The site data iterates the registry, which ``import_module`` fills: every exhibit module counts.
    A builder imports only ``exhibits.registry``: the other exhibits do not."""
    exhibit_modules = {paths.display(p) for p in (paths.PACKAGE_DIR / "exhibits").glob("*.py")}
    site = {paths.display(p) for p in code_files(paths.PACKAGE_DIR / "sitedata.py")}
    assert exhibit_modules <= site
    one = {paths.display(p) for p in code_files(paths.PACKAGE_DIR / "exhibits" / "knowledge_table.py")}
    assert not {"artifact/exhibits/gsm8k_scaling.py", "artifact/exhibits/bbh_cot.py"} & one


def test_changing_a_helper_rebuilds_exactly_the_products_that_import_it(tmp_path):
    repo = copy_repo(tmp_path)
    builder = repo / "artifact" / "exhibits" / "knowledge_table.py"
    helper = repo / "artifact" / "exhibits" / "probe_helper.py"
    helper.write_text("NOTE = ''\n", encoding="utf-8")
    text = builder.read_text(encoding="utf-8")
    # A lazy import inside the builder function, the way the project imports heavy modules.
    marker = "def build("
    assert marker in text
    head, tail = text.split(marker, 1)
    signature, body = tail.split("\n", 1)
    builder.write_text(head + marker + signature + "\n    from artifact.exhibits.probe_helper import NOTE  # noqa\n"
                       + body, encoding="utf-8")
    # The site data lists every exhibit, so it runs every module the exhibit package discovers.
    first = run_cli(repo, "reproduce")
    assert first.returncode == 0, first.stderr
    assert built(first.stdout) == {"knowledge-table", "site"}
    helper.write_text("NOTE = 'changed'\n", encoding="utf-8")
    second = run_cli(repo, "reproduce")
    assert second.returncode == 0, second.stderr
    assert built(second.stdout) == {"knowledge-table", "site"}
    (repo / "artifact" / "render.py").write_text((repo / "artifact" / "render.py").read_text() + "\n# touched\n")
    third = run_cli(repo, "reproduce")
    from artifact.exhibits import REGISTRY

    assert built(third.stdout) == set(REGISTRY)  # every exhibit renders through it; the claims report does not


def built(stdout: str) -> set[str]:
    return {line.split()[1] for line in stdout.splitlines() if line.startswith("built")}


def test_a_process_that_rendered_before_still_finishes_a_parallel_build(tmp_path):
    """vl-convert's runtime does not survive a fork once started; such a process must not hang."""
    script = ("import sys; from pathlib import Path; from artifact.reproduce import reproduce\n"
              "out = Path(sys.argv[1])\n"
              "reproduce(['bbh-cot'], out / 'a', force=True, jobs=1, echo=lambda _: None)\n"
              "reproduce(['bbh-cot', 'emergent-tasks', 'glossary'], out / 'b', force=True, jobs=2, echo=lambda _: None)\n")
    env = {**os.environ, "PYTHONPATH": str(paths.REPO_ROOT)}
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path)], env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "b" / "en" / "emergent-tasks.png").read_bytes() == (
        paths.FIGURES_DIR / "en" / "emergent-tasks.png").read_bytes()
