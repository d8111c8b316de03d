"""Background jobs: long work (imports first) queued on Django's tasks framework, with live
progress, a page and an API resource, run by a worker process."""
