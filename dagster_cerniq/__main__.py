from dagster_cerniq.ops.cli import main

main()
