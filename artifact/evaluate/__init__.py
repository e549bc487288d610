"""Fresh GSM8K runs: dataset -> prompt builder -> backend -> extraction -> score, one JSONL line per item."""
