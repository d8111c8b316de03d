"""The incident log: online-safety incidents a school handled, never naming a pupil."""
