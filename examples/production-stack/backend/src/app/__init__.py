"""fleetlog: vehicle telemetry API and background jobs."""
