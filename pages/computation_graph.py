"""Computation graph: a placeholder until the real page lands."""
import streamlit as st
st.title("Computation graph")
st.info("This page is being built: it will show J = 3(a + bc) as a graph with the value and the derivative on each edge, and what a nudge to each input does.")
