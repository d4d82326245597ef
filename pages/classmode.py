"""Class mode: the teacher asks a lesson's question, every student predicts on their own screen, the projector
shows the answers live, then the teacher reveals what really happens (ui/classmode.py, docs/CLASSROOM.md)."""

from ui.classmode import class_page
from ui.common import page_header


def main():
    page_header("Class mode", "Your teacher asks what an experiment will do; you predict on your own screen, the "
                "projector shows the class's answers, then the teacher reveals the run.")
    class_page()


main()
