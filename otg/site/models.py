"""otg.site keeps no tables of its own: a job's failures moved to otg.jobs."""
