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
# *kfunc-explorer, lesson 09 of 10.* The narration in this notebook is read from
# `lessons/09-challenges.toml`, the same lesson source the TUI shows, so it is not repeated here.
# Run all cells (**Run ▸ Run All Cells**); every widget below is live.

# %%
# kfunc-explorer is installed (Binder and `./dev.sh lab` install it; elsewhere:
# `pip install kfunc-explorer[notebook]`).
from explorer.notebook import ChallengeWidget, LessonWidget, SortLabWidget
from explorer.notebook import lesson, show_intro, show_page

L = lesson(9)
show_intro(L)

# %%
show_page(L, 0)  # You are the scheduler

# %%
show_page(L, 1)  # How a goal is judged

# %% [markdown]
# ## Play
#
# Pick a challenge and press **play**: the explorer below opens its scenario (with its what-ifs,
# labelled NOT THE KERNEL, and faults). Step the threads with their buttons, or type a schedule;
# after every step the goal is judged: *playing*, **WON** (with what you just saw, in kernel
# terms) or *lost* (step back and choose differently). **hint** helps; **give up** loads a
# shortest winning schedule at step 0 to step through. Your tries and best schedules are kept in
# `$XDG_STATE_HOME/kfunc-explorer/progress.json`, shared with the TUI (`c`) and the CLI listing.

# %%
ChallengeWidget("early_verifier")

# %%
show_page(L, 2)  # Heapsort on your own input

# %% [markdown]
# ## The sort lab
#
# Type your IDs (and a key) and press **sort**; then step through lib/sort.c's heapsort: the
# phase, one line of narration a step, the array with its symbols and the heap tree (Graphviz).
# With a key, bsearch runs on the sorted result. **register as my cell** opens a live explorer of
# your IDs registered as a built-in set beside bpf_tcp_ca's (try more than 27 IDs: -E2BIG).

# %%
SortLabWidget("106106 106124 105996 106003 106098 106019 106021", "106003")

# %% [markdown]
# ## The whole lesson in one widget

# %%
LessonWidget(L)
