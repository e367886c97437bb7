"""ipywidgets explorers and Graphviz diagrams for the Jupyter lessons."""

from explorer.notebook.challenges import ChallengeWidget, SortLabWidget
from explorer.notebook.lesson import (
    explore_widget,
    history_html,
    intro_markdown,
    lesson,
    lessons,
    my_kernel_panel,
    page_diagrams,
    page_markdown,
    show_explore,
    show_history,
    show_intro,
    show_lesson,
    show_page,
    show_side_by_side,
    side_by_side_html,
)
from explorer.notebook.render import Diagram, dot_available, render_dot
from explorer.notebook.widgets import Explorer, LessonWidget, PredictionWidget

__all__ = [
    "ChallengeWidget",
    "Diagram",
    "Explorer",
    "LessonWidget",
    "PredictionWidget",
    "SortLabWidget",
    "dot_available",
    "explore_widget",
    "history_html",
    "intro_markdown",
    "lesson",
    "lessons",
    "my_kernel_panel",
    "page_diagrams",
    "page_markdown",
    "render_dot",
    "show_explore",
    "show_history",
    "show_intro",
    "show_lesson",
    "show_page",
    "show_side_by_side",
    "side_by_side_html",
]
