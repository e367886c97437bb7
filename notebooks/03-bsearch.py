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
# *kfunc-explorer, lesson 03 of 10.* The narration in this notebook is read from
# `lessons/03-bsearch.toml`, the same lesson source the TUI shows, so it is not repeated here.
# Run all cells (**Run ▸ Run All Cells**); every widget below is live.

# %% jupyter={"source_hidden": true}
# kfunc-explorer is installed (Binder and `./dev.sh lab` install it; elsewhere:
# `pip install kfunc-explorer[notebook]`).
from explorer.notebook import Explorer, LessonWidget, lesson, show_lesson

L = lesson(3)

# %%
# the title, then every page in turn; a page after a prediction opens once you Check it
show_lesson(L)

# %% [markdown]
# ## The live explorer
#
# **step ▶ / ◀ back** move one step (back is time travel); the slider and **Play** scrub the
# timeline; the **thread buttons** choose who runs next (greyed out when that thread cannot run);
# the **schedule** box replays a schedule you paste; what-ifs show a NOT THE KERNEL banner;
# *explore all* lists every outcome with a button that loads its witness.

# %%
Explorer.for_page(L, 0)

# %% [markdown]
# ## The whole lesson in one widget
#
# The same pages with prev/next, each opening the explorer where the page places the model.

# %%
LessonWidget(L)

# %% [markdown]
# ## Try it yourself
#
# Tick the **no_sort** what-if (the NOT THE KERNEL banner appears) and replay `B120V18`; then
# untick it and replay `B735V17`. Same key, same IDs, different order.

# %%
Explorer("boot_tcp", variants=("no_sort",), schedule="B120V18", focus="bsearch")
