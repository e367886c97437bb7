# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# *kfunc-explorer, lesson 10 of 10.* The narration is read from `lessons/10-years-later.toml`, the same
# lesson source the TUI shows. Run all cells (**Run ▸ Run All Cells**); every widget below is live.

# %% jupyter={"source_hidden": true}
# kfunc-explorer is installed (Binder and `./dev.sh lab` install it; elsewhere:
# `pip install kfunc-explorer[notebook]`).
from explorer.notebook import (
    Explorer,
    LessonWidget,
    lesson,
    show_history,
    show_intro,
    show_page,
    show_side_by_side,
)

L = lesson("years-later")
show_intro(L)

# %% [markdown]
# ## Side by side
#
# One registration in v5.16, v5.18 and 6.17, each stepped to the point where it has returned
# (v5.16: bpf_testmod's set is on the list; v5.18 and 6.17: tcp_cubic's initcall returned).

# %%
show_side_by_side()  # v5.16: old_api L*; v5.18: boot_tcp B47; 6.17: boot_tcp B46

# %%
show_history()  # the registry's shape at each snapshot, with where each fact was read

# %%
show_page(L, 0)  # v5.16: no table at all

# %%
show_page(L, 1)  # v5.18: one registration, one cell

# %%
show_page(L, 2)  # 6.17: the same registration, one set8 a hook

# %% [markdown]
# ## The live explorer, with a version picker
#
# The **kernel** menu switches between the versions of the scenario (here boot_tcp: 5.18 and
# 6.17); the schedule restarts, everything else works as in the other lessons.

# %%
Explorer("boot_tcp", kernel="6.17", schedule="B46")

# %% [markdown]
# ## The whole lesson in one widget

# %%
LessonWidget(L)

# %% [markdown]
# ## Try it yourself
#
# Open `hooks_filters` (6.17 only) and step thread **E** (a tracing program attached with fentry): where does `tracing_iter_filter` veto
# the lookup? Then switch `boot_tcp` between 5.18 and 6.17 and compare the table after `B*`.

# %%
Explorer("hooks_filters", kernel="6.17", schedule="B*")
