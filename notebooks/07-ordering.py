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
# *kfunc-explorer, lesson 07 of 10.* The narration in this notebook is read from
# `lessons/07-ordering.toml`, the same lesson source the TUI shows, so it is not repeated here.
# Run all cells (**Run ▸ Run All Cells**); every widget below is live.

# %% jupyter={"source_hidden": true}
# kfunc-explorer is installed (Binder and `./dev.sh lab` install it; elsewhere:
# `pip install kfunc-explorer[notebook]`).
from explorer.notebook import Explorer, LessonWidget, lesson, show_explore, show_lesson

L = lesson(7)

# %%
# the title, then every page in turn; a page after a prediction opens once you Check it
show_lesson(L)

# %% [markdown]
# ## Every interleaving at once
#
# *explore all* runs every schedule of a scenario, including every timing of the store buffer M;
# each outcome keeps a witness schedule that reproduces it. Compare the kernel (with the mutex)
# and the what-if without it: which outcomes appear, and does every invariant hold? Each
# exploration opens once the lesson's questions above are answered (its outcomes would answer
# them); click a state of its graph to load it.

# %%
show_explore('live_flag_ordering', (), lesson=L)

# %%
show_explore('live_flag_ordering', ('live_flag_unlocked',), lesson=L)

# %%
show_explore('old_api', (), lesson=L)

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
# With **live_flag_unlocked** on, step M (the store buffer) one store at a time after `L62` and
# find the first point where V gets OK. Then turn the what-if off and try to make V see a stale
# table: you cannot.

# %%
Explorer("live_flag_ordering", variants=("live_flag_unlocked",), schedule="L62", focus="table")
