"""A stand-in for st.session_state in unit tests of callbacks (which run outside a Streamlit script)."""


class State(dict):
    """st.session_state's two ways in: state["key"] and state.key."""

    __getattr__ = dict.get

    def __setattr__(self, name, value):
        self[name] = value
