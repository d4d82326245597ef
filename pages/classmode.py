"""Class mode: the teacher asks a lesson's question, every student predicts on their own screen, the projector
shows the answers live, then the teacher reveals what really happens (ui/classmode.py, docs/CLASSROOM.md)."""

from ui.classmode import class_page, intro
from ui.common import page_header


def main():
    page_header("Class mode", intro())
    class_page()


main()
