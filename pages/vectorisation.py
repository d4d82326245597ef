"""Vectorisation and broadcasting: a placeholder until the real page lands."""
import streamlit as st
st.title("Vectorisation and broadcasting")
st.info("This page is being built: it will show a Python loop timed against np.dot, and arrays of different shapes stretching to fit.")
