"""ipywidgets explorers and Graphviz diagrams for the Jupyter lessons."""
