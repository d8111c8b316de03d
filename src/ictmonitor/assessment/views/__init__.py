"""The assessment's pages: one module per part (school, plan, labels, documents, portability)."""
