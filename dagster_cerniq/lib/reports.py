"""Where pictures and tables the steps write for people go (plots the Dagster metadata links):
CERNIQ_REPORT_DIR, default `reports/` under the Cerniq home (`.cerniq`)."""

from __future__ import annotations

import os
from pathlib import Path

from dagster_cerniq.ops.embedded import EmbeddedPostgres

REPORT_DIR_ENV = "CERNIQ_REPORT_DIR"


def report_dir(*parts: str) -> Path:
    configured = os.environ.get(REPORT_DIR_ENV, "").strip()
    folder = Path(configured) if configured else EmbeddedPostgres.default().home / "reports"
    folder = folder.joinpath(*parts)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder
