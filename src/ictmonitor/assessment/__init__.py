"""Online-safety self-assessment: frameworks and fact sheets as data (docs/frameworks.md)."""
