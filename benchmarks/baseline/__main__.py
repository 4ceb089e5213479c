"""`python -m benchmarks.baseline`: one baseline run, in its own process so that its time and
memory are measured alone. Prints its queues' jobs and seconds as JSON."""

import argparse
import datetime as dt
import json
import sys
from uuid import UUID

from benchmarks.baseline.runner import run_baseline


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.baseline", description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, required=True)
    parser.add_argument(
        "--previous-as-of",
        type=dt.date.fromisoformat,
        help="as-of date of the previous run (its events are not handled again); none: cold",
    )
    parser.add_argument("--tenant", type=UUID, action="append", required=True, dest="tenants")
    args = parser.parse_args()
    queues = run_baseline(args.database_url, args.tenants, args.as_of, args.previous_as_of)
    json.dump({"queues": queues}, sys.stdout)


if __name__ == "__main__":
    main()
