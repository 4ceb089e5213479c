"""The dbt project on a live database with generated data: builds, tests, determinism, tenants."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from dagster_cerniq.defs.dbt.project import DBT_PROJECT_DIR, dbt_env, dbt_vars
from dagster_cerniq.ops import migrations
from dagster_cerniq.synthetic import generate
from dagster_cerniq.synthetic.vocabulary import COMPETITORS
from tests.conftest import new_database

AS_OF = dt.date(2026, 10, 31)
MARTS = [
    "fct_client_order_metrics",
    "fct_client_nps",
    "fct_churn_signal_candidates",
    "fct_churn_scores",
    "fct_state_eligibility",
]
DBT = str(Path(sys.executable).parent / "dbt")


def run_dbt(
    url: str,
    *args: str,
    tenants: tuple[str, ...] | list[str] = (),
    as_of: dt.date = AS_OF,
    project_dir: Path = DBT_PROJECT_DIR,
    schema: str = "analytics",
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **dbt_env(url), "CERNIQ_DBT_SCHEMA": schema}
    command = [
        DBT, *args,
        "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
        "--target-path", str(project_dir / "target" / schema),
        "--vars", json.dumps(dbt_vars(tenants, as_of)),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stdout[-4000:]
    return result


def analyse_messages_for_tests(url: str) -> None:
    """Stand-in analyses of every inbound message, so the message signal rules have input."""
    competitor_pattern = "|".join(COMPETITORS)
    with psycopg.connect(url) as conn:
        conn.execute(
            """
            insert into gold_sentiment_analysis (
                tenant_id, source_type, source_id, client_id, original_text, sentiment_label,
                sentiment_score, confidence, topics, mentioned_competitors, model_name,
                analyzed_at, source_created_at)
            select
                tenant_id, 'MESSAGE', id, client_id, body,
                case when body ~* '(scump|calitat|intarzi|întârzi|nemul)' then 'NEGATIVE'
                     else 'POSITIVE' end,
                case when body ~* '(scump|calitat|intarzi|întârzi|nemul)' then -0.7 else 0.6 end,
                0.8,
                case when body ~* 'scump|pret|preț' then '["PRICE_HIGH"]'
                     when body ~* 'calitat|germina' then '["QUALITY_ISSUE"]'
                     else '[]' end::jsonb,
                case when body ~* %(competitors)s
                     then jsonb_build_array(substring(body from %(competitors)s))
                     else '[]'::jsonb end,
                'test-fixture', sent_at, sent_at
            from gold_client_messages
            where direction = 'INBOUND'
            """,
            {"competitors": f"({competitor_pattern})"},
        )


def mart_fingerprints(url: str, tenant_id: str | None = None) -> dict[str, tuple[int, str]]:
    """Row count and an md5 over the ordered rows of each mart (optionally of one tenant)."""
    where = "where tenant_id = %(t)s" if tenant_id else ""
    with psycopg.connect(url) as conn:
        return {
            mart: conn.execute(
                f"select count(*), md5(coalesce(string_agg(m::text, '|' order by m::text), '')) "
                f"from analytics.{mart} m {where}",
                {"t": tenant_id},
            ).fetchone()
            for mart in MARTS
        }


@pytest.fixture(scope="module")
def generated_db(admin_url: str) -> Iterator[tuple[str, list[str]]]:
    with new_database(admin_url) as url:
        migrations.apply_pending(url)
        summary = generate(
            url, tenants=3, clients_per_tenant=150, seed=11, as_of=AS_OF, progress=False
        )
        analyse_messages_for_tests(url)
        run_dbt(url, "build")
        yield url, [str(t) for t in summary.tenant_ids]


def test_build_fills_every_mart_for_every_client_with_an_order(generated_db) -> None:
    url, _ = generated_db
    with psycopg.connect(url) as conn:
        buyers = conn.execute(
            "select count(distinct client_id) from gold_orders where status = 'DELIVERED' "
            "and delivered_at < %s",
            (AS_OF + dt.timedelta(days=1),),
        ).fetchone()[0]
        scored = conn.execute("select count(*) from analytics.fct_churn_scores").fetchone()[0]
        eligible = conn.execute("select count(*) from analytics.fct_state_eligibility").fetchone()[
            0
        ]
        signal_types = {
            row[0]
            for row in conn.execute(
                "select distinct signal_type from analytics.fct_churn_signal_candidates"
            )
        }
        levels = {
            row[0] for row in conn.execute("select risk_level from analytics.fct_churn_scores")
        }
    assert buyers > 0
    assert scored == eligible == buyers
    assert {"PAYMENT_DELAY", "ORDER_FREQUENCY_DROP", "COMMUNICATION_FADE", "PRICE_COMPLAINT",
            "NEGATIVE_SENTIMENT", "COMPETITOR_MENTION"} <= signal_types  # fmt: skip
    assert len(levels) >= 2


def test_same_data_and_as_of_give_identical_marts(generated_db) -> None:
    url, _ = generated_db
    before = mart_fingerprints(url)
    run_dbt(url, "run")
    assert mart_fingerprints(url) == before


def test_a_tenant_run_rewrites_that_tenant_only(generated_db) -> None:
    url, (tenant_x, tenant_y, tenant_z) = generated_db
    later = AS_OF + dt.timedelta(days=45)
    z_before = mart_fingerprints(url, tenant_z)
    x_before = mart_fingerprints(url, tenant_x)

    run_dbt(url, "run", tenants=[tenant_x], as_of=later)
    x_later = mart_fingerprints(url, tenant_x)
    assert x_later != x_before, "a later as-of date must change tenant X's marts"

    run_dbt(url, "run", tenants=[tenant_y])
    assert mart_fingerprints(url, tenant_x) == x_later
    assert mart_fingerprints(url, tenant_z) == z_before

    run_dbt(url, "run", tenants=[tenant_x])
    assert mart_fingerprints(url, tenant_x) == x_before


def edited_copy(tmp_path: Path, seed: str, edit) -> Path:
    """A copy of the dbt project with one line of a parameter seed edited."""
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    csv = project / "seeds" / f"{seed}.csv"
    edited = "\n".join(edit(line) for line in csv.read_text().splitlines()) + "\n"
    assert edited != csv.read_text()
    csv.write_text(edited)
    return project


def test_editing_signal_strengths_in_the_seed_csv_changes_the_results(
    generated_db, tmp_path
) -> None:
    url, _ = generated_db
    project = edited_copy(
        tmp_path,
        "churn_signal_rules",
        lambda row: (
            row.replace(",30,2,0,80", ",45,2,0,80") if row.startswith("PAYMENT_DELAY") else row
        ),
    )
    run_dbt(url, "build", "--exclude", "test_type:unit", project_dir=project, schema="edited")
    with psycopg.connect(url) as conn:
        changed, total = conn.execute(
            """
            select count(*) filter (where e.strength <> a.strength), count(*)
            from analytics.fct_churn_signal_candidates a
            join edited.fct_churn_signal_candidates e using (signal_key)
            where a.signal_type = 'PAYMENT_DELAY'
            """
        ).fetchone()
    assert total > 0
    assert changed > 0


def test_editing_a_risk_band_in_the_seed_csv_changes_the_levels(generated_db, tmp_path) -> None:
    url, _ = generated_db
    project = edited_copy(
        tmp_path,
        "churn_risk_bands",
        lambda row: row.replace("MEDIUM,25,", "MEDIUM,5,") if row.startswith("MEDIUM") else row,
    )
    run_dbt(url, "build", "--exclude", "test_type:unit", project_dir=project, schema="edited")
    with psycopg.connect(url) as conn:
        moved = conn.execute(
            """
            select count(*) from analytics.fct_churn_scores a
            join edited.fct_churn_scores e using (tenant_id, client_id)
            where a.churn_score >= 5 and a.churn_score < 25
              and a.risk_level = 'LOW' and e.risk_level = 'MEDIUM'
            """
        ).fetchone()[0]
        unchanged_elsewhere = conn.execute(
            """
            select count(*) from analytics.fct_churn_scores a
            join edited.fct_churn_scores e using (tenant_id, client_id)
            where (a.churn_score < 5 or a.churn_score >= 25) and a.risk_level <> e.risk_level
            """
        ).fetchone()[0]
    assert moved > 0
    assert unchanged_elsewhere == 0


def test_docs_generate_works(generated_db) -> None:
    url, _ = generated_db
    result = run_dbt(url, "docs", "generate")
    assert "Catalog written" in result.stdout
