"""Claims: every statement of the article, its test against the evidence, and the expected status."""
