"""Fresh runs of a registered task: data set -> prompt builder -> backend -> extraction -> score, one JSONL line per item."""
