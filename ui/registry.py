"""The menu of Basin, described once.

app.py builds the navigation from this list, the Home page links to every entry, and the
tests open every entry. Order here is the order of the menu. No streamlit import: this is
plain data, so tests and benchmarks can read it without starting an app.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    file: str  # path relative to app.py
    title: str
    url_path: str  # "" for the default page, served at "/"
    icon: str  # a Material Symbols name, used as ":material/<icon>:"
    teaches: str  # one sentence: what the student learns there
    lesson: bool = True  # False for Class mode and the guide: ways to run a lesson, not lessons (Start here skips them)

    @property
    def material_icon(self) -> str:
        return f":material/{self.icon}:"


# The default page is the first one; every other page needs its own url_path, and it must be the page file's
# name: on a fresh server, before any session has run app.py, Streamlit's legacy pages/ mode resolves a direct
# link by file name (see ui.common.ensure_router), so /basin must be pages/basin.py to land on the right page.
PAGES: tuple[PageInfo, ...] = (
    PageInfo("pages/home.py", "Home", "", "home",
             "What Basin is and where each lesson lives."),
    PageInfo("pages/basin.py", "Cost basin", "basin", "landscape",
             "Gradient descent rolls a ball down the log-loss J(w, b) of real data; "
             "the learning rate decides whether it rolls, bounces or flies off."),
    PageInfo("pages/losses.py", "Losses", "losses", "compare",
             "Why logistic regression uses log-loss: squared error through a sigmoid "
             "is bumpy and flat, log-loss is a bowl."),
    PageInfo("pages/classify.py", "Classify", "classify", "image_search",
             "One neuron trained on small images; see its weights as a picture "
             "and classify a photo of your own."),
    PageInfo("pages/graph.py", "Computation graph", "graph", "account_tree",
             "Forward and backward passes through J = 3(a + bc): the chain rule, one edge at a time."),
    PageInfo("pages/vectorisation.py", "Vectorisation and broadcasting", "vectorisation", "speed",
             "Why a Python loop is slow next to np.dot, and how numpy stretches shapes to fit."),
    PageInfo("pages/activations.py", "Activations", "activations", "show_chart",
             "Sigmoid, tanh, ReLU, leaky ReLU and linear side by side, with their derivatives."),
    PageInfo("pages/classmode.py", "Class mode", "classmode", "groups",
             "The teacher asks what an experiment will do, the class predicts, the projector shows the answers.",
             lesson=False),
    PageInfo("pages/teachers.py", "For teachers", "teachers", "school",
             "Links that reproduce an experiment, the projector view, hidden controls and class mode, with examples.",
             lesson=False),
)
