"""Symbolic reasoning: solve rate vs model size, standard vs chain of thought, in domain and out of
domain (Wei et al.'s Figure 8 and Table 5), with this project's SmolLM2 runs beside their families."""

from __future__ import annotations

import altair as alt
import pandas as pd

from artifact.evidence.store import Evidence
from artifact.evidence.symbolic import RUNS_FAMILY, SPLITS, STEM, TASKS, symbolic_cells
from artifact.exhibits.labels import AXIS, PROMPTING, PROMPTING_COLORS, cite, tooltip, with_provenance
from artifact.exhibits.registry import Chart, register

TEXT = {
    "task": {"last-letters": {"en": "Last letters", "zh": "末字母拼接"},
             "coin-flip": {"en": "Coin flip", "zh": "抛硬币"}},
    "split": {"id-2": {"en": "2 (in domain)", "zh": "2 步（域内）"},
              "ood-3": {"en": "3 (OOD)", "zh": "3 步（域外）"},
              "ood-4": {"en": "4 (OOD)", "zh": "4 步（域外）"}},
    "family": {"en": "Model family", "zh": "模型系列"},
    "legend": {"en": "Prompting", "zh": "提示方式"},
    "runs": {"en": "This project (SmolLM2)", "zh": "本项目（SmolLM2）"},
    "y": {"en": "Solve rate (%)", "zh": "解题率（%）"},
    "runs_source": {"en": "; fresh runs: artifact/data/runs (150 generated items per split, greedy)",
                    "zh": "；新运行：artifact/data/runs（每个划分 150 道生成题，贪心解码）"},
}
FAMILIES = ("UL2", "LaMDA", "PaLM", RUNS_FAMILY)


def _family(name: str, lang: str) -> str:
    return TEXT["runs"][lang] if name == RUNS_FAMILY else name


SEP = {"en": ": ", "zh": "："}


def _panel(task: str, split: str, lang: str) -> str:
    return f"{TEXT['task'][task][lang]}{SEP[lang]}{TEXT['split'][split][lang]}"


@register("symbolic-cot", kind="chart", inputs=(f"published:{STEM}", "runs:*"),
          title_en="Symbolic tasks: chain of thought works, and generalises to longer inputs, only in large models",
          title_zh="符号任务：只有大模型能借助思维链解题，并推广到更长的输入",
          alt_en="Six line charts, last-letter concatenation and coin flip by 2 steps (as in the exemplars) and 3 and 4 steps (out of domain): solve rate against parameters on a log scale for UL2, LaMDA and PaLM with standard and chain-of-thought prompting, and this project's SmolLM2-135M runs; standard prompting stays low on last letters at every size while chain of thought climbs only for the largest models, also out of domain.",
          alt_zh="六幅折线图，末字母拼接与抛硬币各分 2 步（与示例相同）以及 3 步、4 步（域外）：UL2、LaMDA、PaLM 在标准提示与思维链提示下的解题率随参数量（对数坐标）的变化，并列本项目 SmolLM2-135M 的运行结果；末字母拼接上标准提示在各规模都很低，思维链只在最大的模型上攀升，域外也是如此。")
def build(ev: Evidence, lang: str) -> Chart:
    data = symbolic_cells(ev.published(STEM), ev.runs())
    plot = with_provenance(data, ev, lang).assign(
        label=lambda d: d["prompting"].map(lambda p: PROMPTING[p][lang]),
        family_label=lambda d: d["family"].map(lambda f: _family(f, lang)),
        task_label=lambda d: d["task"].map(lambda t: TEXT["task"][t][lang]),
        panel=lambda d: [_panel(t, s, lang) for t, s in zip(d["task"], d["split"])])
    order = [PROMPTING[p][lang] for p in ("standard", "cot")]
    families = [_family(f, lang) for f in FAMILIES if (data["family"] == f).any()]
    chart = alt.Chart(plot).mark_line(point=True).encode(
        x=alt.X("params_billion:Q", scale=alt.Scale(type="log"), title=AXIS["params"][lang],
                axis=alt.Axis(values=[0.1, 1, 10, 100, 1000], format="~g", grid=False)),
        y=alt.Y("value:Q", title=TEXT["y"][lang], scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("label:N", title=TEXT["legend"][lang], sort=order,
                        scale=alt.Scale(domain=order, range=[PROMPTING_COLORS[p] for p in ("standard", "cot")])),
        # above the panels, while the prompting legend stays below: side by side they outgrew a phone
        shape=alt.Shape("family_label:N", title=TEXT["family"][lang], sort=families, legend=alt.Legend(orient="top")),
        detail="family_label:N",
        tooltip=tooltip(lang, setting="label"),
    ).properties(width=155, height=160).facet(  # wrapped panels, so the site can re-wrap them to the screen
        # a panel's title in two lines (task, then split): in one line it was wider than a phone
        facet=alt.Facet("panel:N", title=None, sort=[_panel(t, s, lang) for t in TASKS for s in SPLITS],
                        header=alt.Header(labelExpr=f"split(datum.label, '{SEP[lang]}')")),
        columns=3,
    ).resolve_axis(x="independent")
    source = cite(lang, "Wei et al. 2022 (arXiv 2201.11903v6), Appendix B Table 5",
                  "Wei 等 2022（arXiv 2201.11903v6）附录 B 表 5")
    if (data["family"] == RUNS_FAMILY).any():
        source += TEXT["runs_source"][lang]
    return Chart(chart, data.reset_index(drop=True), source=source)
