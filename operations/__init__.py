"""Running the register rather than keeping it: backups and restore, synthetic
data and the benchmark, the demo's seed, the health check, the gunicorn worker
and the read-replica router."""
