"""The picture of one tenant's geography (PNG, no map tiles: it works offline): its located
companies (prospects grey, clients by state, advocates as stars), its GEOGRAPHIC clusters as
circles of their radius, its NEIGHBOR pairs as thin lines and its open neighbour suggestions as
dashed lines from the referrer to the prospect. Read from what the geography step stored."""

from __future__ import annotations

import io
import math
from uuid import UUID

import psycopg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse

from dagster_cerniq.lib.write_back import Reads, statements

KM_PER_DEGREE = 111.32
# The map's own reads are the gold tables the geography step wrote: no dbt relation.
SQL = statements(__file__, Reads())
MAP_COMPANIES = SQL("map_companies")
MAP_LINKS = SQL("map_links")
MAP_CLUSTERS = SQL("map_clusters")
LABELLED_CLUSTERS = 8


def geography_map(conn: psycopg.Connection, tenant_id: UUID | str, title: str) -> bytes:
    """The tenant's map as PNG bytes."""
    params = {"tenant_id": str(tenant_id)}
    companies = conn.execute(MAP_COMPANIES.compose(), params).fetchall()
    links = conn.execute(MAP_LINKS.compose(), params).fetchall()
    clusters = conn.execute(MAP_CLUSTERS.compose(), params).fetchall()

    figure = Figure(figsize=(9, 8))
    axes = figure.subplots()
    latitudes = [row[1] for row in companies] or [45.9]
    # Degrees of longitude are shorter than degrees of latitude by cos(latitude).
    squeeze = math.cos(math.radians(sum(latitudes) / len(latitudes)))
    axes.set_aspect(1 / squeeze)

    neighbours = [((a, b), (c, d)) for kind, a, b, c, d in links if kind == "NEIGHBOR"]
    suggestions = [((a, b), (c, d)) for kind, a, b, c, d in links if kind == "SUGGESTION"]
    axes.add_collection(
        LineCollection(neighbours, colors="#9bb7d4", linewidths=0.3, alpha=0.5, zorder=1)
    )
    axes.add_collection(
        LineCollection(suggestions, colors="#e07b00", linewidths=1.0, linestyles="dashed", zorder=2)
    )
    for index, (longitude, latitude, radius_km, name, members, advocates) in enumerate(clusters):
        radius = float(radius_km or 0) / KM_PER_DEGREE
        axes.add_patch(
            Ellipse(
                (longitude, latitude), 2 * radius / squeeze, 2 * radius,
                fill=False, edgecolor="#2a7f62", linewidth=1.0, zorder=3,
            )
        )  # fmt: skip
        if index < LABELLED_CLUSTERS:
            axes.annotate(
                f"{name} ({members}, {advocates} adv.)", (longitude, latitude),
                fontsize=6, color="#2a7f62", zorder=6,
            )  # fmt: skip

    groups = {
        "prospect": ([r for r in companies if not r[2]], "#b0b0b0", "o", 6),
        "client": (
            [r for r in companies if r[2] and r[3] not in ("LOYAL_CLIENT", "ADVOCATE")],
            "#3b6ea8", "o", 8,
        ),
        "loyal client": ([r for r in companies if r[3] == "LOYAL_CLIENT"], "#2a7f62", "o", 14),
        "advocate": ([r for r in companies if r[3] == "ADVOCATE"], "#c0392b", "*", 90),
    }  # fmt: skip
    for label, (rows, colour, marker, size) in groups.items():
        axes.scatter(
            [r[0] for r in rows], [r[1] for r in rows], s=size, c=colour, marker=marker,
            label=f"{label} ({len(rows)})", zorder=4 if label != "advocate" else 5,
            linewidths=0,
        )  # fmt: skip
    axes.plot([], [], color="#9bb7d4", label=f"neighbour pair ({len(neighbours)})")
    axes.plot([], [], color="#e07b00", linestyle="dashed", label=f"suggestion ({len(suggestions)})")
    axes.plot([], [], color="#2a7f62", label=f"cluster ({len(clusters)})")
    axes.autoscale_view()
    axes.set_xlabel("longitude")
    axes.set_ylabel("latitude")
    axes.set_title(title)
    axes.legend(fontsize="small", loc="best")
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()
