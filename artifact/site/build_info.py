"""Version, commit and date for the site footer. The date is SOURCE_DATE_EPOCH when set (reproducible
builds), else the commit's date, so building the same commit twice gives the same pages."""

from __future__ import annotations

import os
import subprocess
import tomllib
from datetime import UTC, datetime

from artifact import paths


def _git(*args: str) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=paths.REPO_ROOT, capture_output=True, text=True, timeout=10,
                             check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def build_info() -> dict[str, str]:
    version = tomllib.loads((paths.REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    commit = os.environ.get("GITHUB_SHA") or _git("rev-parse", "HEAD")
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _git("log", "-1", "--format=%ct")
    date = datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%d") if epoch.isdigit() else ""
    return {"version": version, "commit": commit if len(commit) == 40 else "", "date": date}
