-- The job queue is the worker's alone (it runs as the owner); tenant-scoped code never sees it.
REVOKE ALL ON jobs FROM bizosaas_app;
