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
# *kfunc-explorer, lesson 08 of 10.* The narration in this notebook is read from
# `lessons/08-my-kernel.toml`, the same lesson source the TUI shows, so it is not repeated here.
# Run all cells (**Run ▸ Run All Cells**); every widget below is live.

# %% jupyter={"source_hidden": true}
# kfunc-explorer is installed (Binder and `./dev.sh lab` install it; elsewhere:
# `pip install kfunc-explorer[notebook]`).
from explorer.notebook import Explorer, LessonWidget, lesson
from explorer.notebook import my_kernel_panel, show_intro, show_page

L = lesson(8)
show_intro(L)

# %%
show_page(L, 0)

# %%
show_page(L, 1)

# %%
show_page(L, 2)

# %% [markdown]
# ## Your running kernel
#
# The cell below opens the `my_kernel` scenario when this machine's
# `/sys/kernel/btf/vmlinux` is readable, and otherwise says plainly why it is not available.

# %%
my_kernel_panel()

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
# If your kernel's BTF is readable, open `my_kernel` and press **end**: which of your kernel's
# kfuncs ended up in [STRUCT_OPS][CHECK], and how many IDs did the heapsort sort?

# %%
my_kernel_panel(focus="table")
