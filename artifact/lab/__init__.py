"""The lab: a from-scratch scaling sweep of small GPT-style models on synthetic addition, scored on
held-out problems with exact match and with three continuous metrics of the same outputs.

task (problems and the split) -> train (one model: build, train, score) -> sweep (sizes x seeds in
worker processes, written to artifact/data/lab/<preset>-<hash>/). ``python -m artifact lab`` runs it.
"""
