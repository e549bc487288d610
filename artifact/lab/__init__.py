"""The lab (issue 6, work in progress): a from-scratch scaling sweep of small GPT-style models on
synthetic addition, scored with exact match and with continuous metrics of the same outputs.

Status: task, metrics, training and the sweep writer run (`run_sweep(PRESETS["smoke"])`), but the
`default` preset does not learn 3-digit addition yet (widths 16 and 64 stay at ~0.44 token accuracy
after 1.5M tokens), so no CLI command, exhibit or claim uses it. Next: tune steps / learning rate
on 2-digit problems until the largest sizes learn, then wire `python -m artifact lab`.
"""
