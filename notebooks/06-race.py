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
# *kfunc-explorer, lesson 06 of 10.* The narration in this notebook is read from
# `lessons/06-race.toml`, the same lesson source the TUI shows, so it is not repeated here.
# Run all cells (**Run ▸ Run All Cells**); every widget below is live.

# %% jupyter={"source_hidden": true}
# kfunc-explorer is installed (Binder and `./dev.sh lab` install it; elsewhere:
# `pip install kfunc-explorer[notebook]`).
from explorer.notebook import Explorer, LessonWidget, lesson, show_explore, show_lesson

L = lesson(6)

# %%
# the title, then every page in turn; a page after a prediction opens once you Check it
show_lesson(L)

# %% [markdown]
# ## Every interleaving at once
#
# *explore all* runs every schedule of a scenario; each outcome keeps a witness schedule
# that reproduces it. Each explorer below has explored already: click a state of its graph to
# load it, or load an outcome's witness. A witness that would solve a challenge of lesson 09
# that you have not tried stays hidden until you try (or give up) that challenge. The
# explorations open once the lesson's questions above are answered (their outcomes would
# answer them).

# %%
show_explore('module_race', (), lesson=L)

# %%
show_explore('module_init_fails', ('no_live_check',), lesson=L)

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
# Make your own interleaving: from `L4`, click **V: verifier** until it finishes, then **L:
# loader**. Share your schedule (copy the schedule box). Then tick **no_live_check** and press
# **explore all**: load the `table_write_once` violation's witness.

# %%
Explorer("module_race", schedule="L4", focus="lanes")
