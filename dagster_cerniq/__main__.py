from dagster_cerniq.cli import main

main()
