"""Small shared Streamlit helpers for the pages (streamlit may be imported here, never in core/)."""
